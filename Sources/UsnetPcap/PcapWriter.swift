import CPcap

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Writes packets to a pcap file with nanosecond timestamps.
///
/// The file is a classic pcap file in the nanosecond variant (magic `0xa1b23c4d`), which libpcap,
/// tcpdump and Wireshark/tshark read natively. The file's header holds only the link type and the
/// snapshot length, and each record only what `write` is given, so the same frames at the same
/// timestamps always produce a byte-identical file: recordings from virtual-clock runs can be
/// compared and kept as regression fixtures.
///
/// **Threading:** not thread-safe. A writer has one owner (a simulator port, a runtime's engine
/// thread); the owner provides exclusion. It is not `Sendable`.
///
/// **Blocking:** every call does buffered file I/O (stdio) on the calling thread; `write` usually
/// only copies into the buffer, `flush` and `close` write it out. Do not call it where blocking on
/// the file system is not acceptable.
///
/// The file is closed by `close()` or, failing that, when the writer is deinitialized (errors are
/// then lost; call `close()` to see them).
public final class PcapWriter {
  /// The largest timestamp the format can hold: 2^32 - 1 seconds and 999 999 999 nanoseconds.
  public static let maximumTimestampNanoseconds: Int64 =
    Int64(UInt32.max) * 1_000_000_000 + 999_999_999

  /// The path given at creation.
  public let path: String

  /// The link-layer type recorded in the file header.
  public let linkType: LinkType

  /// The snapshot length: frames longer than this are cut to it (the record keeps the original
  /// length).
  public let snapLength: Int

  private var handle: OpaquePointer?
  private var dumper: OpaquePointer?

  /// Creates (or truncates) the file at `path` and writes the pcap file header.
  ///
  /// - Parameters:
  ///   - path: Where to write. As in libpcap, `"-"` means standard output.
  ///   - linkType: The link-layer type of the frames that will be written.
  ///   - snapLength: The most bytes kept per frame, clamped to `1...Int32.max`.
  /// - Throws: `PcapError` with libpcap's message if the file cannot be created.
  public init(
    path: String,
    linkType: LinkType = .ethernet,
    snapLength: Int = 262_144
  ) throws(PcapError) {
    self.path = path
    self.linkType = linkType
    self.snapLength = min(max(snapLength, 1), Int(Int32.max))
    guard
      let handle = pcap_open_dead_with_tstamp_precision(
        linkType.rawValue, Int32(self.snapLength), UInt32(PCAP_TSTAMP_PRECISION_NANO))
    else {
      throw PcapError(message: "pcap_open_dead failed (out of memory?)", path: path)
    }
    guard let dumper = pcap_dump_open(handle, path) else {
      let message = String(cString: pcap_geterr(handle))
      pcap_close(handle)
      throw PcapError(message: message, path: path)
    }
    self.handle = handle
    self.dumper = dumper
  }

  deinit {
    if let dumper { pcap_dump_close(dumper) }
    if let handle { pcap_close(handle) }
  }

  /// Whether `close()` has been called.
  public var isClosed: Bool {
    dumper == nil
  }

  /// Appends one frame.
  ///
  /// - Parameters:
  ///   - frame: The buffer holding the frame.
  ///   - range: The part of `frame` that is the frame; `nil` for all of it. Clamped to the
  ///     buffer's bounds.
  ///   - timestampNanoseconds: When the frame passed, in nanoseconds (virtual or since the Unix
  ///     epoch). Clamped to `0...maximumTimestampNanoseconds`, the range the format can hold.
  /// - Throws: `PcapError` if the writer is closed or the file has a write error.
  public func write(
    _ frame: [UInt8],
    range: Range<Int>? = nil,
    timestampNanoseconds: Int64
  ) throws(PcapError) {
    guard let dumper else { throw closedError }
    let whole = 0..<frame.count
    let part = range?.clamped(to: whole) ?? whole
    let nanoseconds = min(max(timestampNanoseconds, 0), Self.maximumTimestampNanoseconds)
    var header = pcap_pkthdr()
    header.ts.tv_sec = .init(nanoseconds / 1_000_000_000)
    // In a nanosecond-precision capture, libpcap keeps nanoseconds in `tv_usec`.
    header.ts.tv_usec = .init(nanoseconds % 1_000_000_000)
    header.len = UInt32(clamping: part.count)
    header.caplen = UInt32(clamping: min(part.count, snapLength))
    frame[part].withUnsafeBufferPointer { bytes in
      pcap_dump(UnsafeMutablePointer<UInt8>(dumper), &header, bytes.baseAddress)
    }
    if ferror(pcap_dump_file(dumper)) != 0 {
      throw PcapError(message: "write failed: \(String(cString: strerror(errno)))", path: path)
    }
  }

  /// Writes everything buffered so far to the file.
  ///
  /// - Throws: `PcapError` if the writer is closed or the write fails.
  public func flush() throws(PcapError) {
    guard let dumper else { throw closedError }
    if pcap_dump_flush(dumper) != 0 {
      throw PcapError(message: "flush failed: \(String(cString: strerror(errno)))", path: path)
    }
  }

  /// Flushes and closes the file. Later calls do nothing; later writes throw.
  ///
  /// - Throws: `PcapError` if the final flush fails (the file is closed anyway).
  public func close() throws(PcapError) {
    guard let dumper else { return }
    let failed = pcap_dump_flush(dumper) != 0
    let message = failed ? "flush failed: \(String(cString: strerror(errno)))" : ""
    pcap_dump_close(dumper)
    self.dumper = nil
    if let handle { pcap_close(handle) }
    handle = nil
    if failed { throw PcapError(message: message, path: path) }
  }

  private var closedError: PcapError {
    PcapError(message: "the writer is closed", path: path)
  }
}
