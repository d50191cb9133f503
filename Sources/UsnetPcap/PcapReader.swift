import CPcap

/// Reads packets from a pcap (or pcapng) file, with timestamps in nanoseconds.
///
/// Files with microsecond timestamps are read too; libpcap scales them to nanoseconds. Use it to
/// replay recordings as regression fixtures:
///
/// ```swift
/// let reader = try PcapReader(path: "Fixtures/pcaps/handshake.pcap")
/// while let record = try reader.next() { /* feed record.bytes at record.timestampNanoseconds */ }
/// ```
///
/// **Threading:** not thread-safe; one owner provides exclusion. It is not `Sendable`.
///
/// **Blocking:** `init` and `next()` do buffered file I/O on the calling thread.
///
/// The file is closed by `close()` or when the reader is deinitialized.
public final class PcapReader {
  /// The path given at creation.
  public let path: String

  /// The link-layer type from the file header.
  public let linkType: LinkType

  /// The snapshot length from the file header.
  public let snapLength: Int

  private var handle: OpaquePointer?

  /// Opens the file at `path` and reads its header.
  ///
  /// - Parameter path: The file to read. As in libpcap, `"-"` means standard input.
  /// - Throws: `PcapError` with libpcap's message if the file is missing, unreadable or not a
  ///   capture file.
  public init(path: String) throws(PcapError) {
    self.path = path
    var errorBuffer = [CChar](repeating: 0, count: Int(PCAP_ERRBUF_SIZE))
    let opened = pcap_open_offline_with_tstamp_precision(
      path, UInt32(PCAP_TSTAMP_PRECISION_NANO), &errorBuffer)
    guard let handle = opened else {
      let text = errorBuffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
      let message = String(decoding: text, as: UTF8.self)
      throw PcapError(message: message, path: path)
    }
    self.handle = handle
    self.linkType = LinkType(rawValue: pcap_datalink(handle))
    self.snapLength = Int(pcap_snapshot(handle))
  }

  deinit {
    if let handle { pcap_close(handle) }
  }

  /// Reads the next packet.
  ///
  /// - Returns: The packet, or `nil` at the end of the file (or after `close()`).
  /// - Throws: `PcapError` if the file is damaged or cannot be read (a truncated last record is
  ///   such an error).
  public func next() throws(PcapError) -> PcapRecord? {
    guard let handle else { return nil }
    var header: UnsafeMutablePointer<pcap_pkthdr>?
    var data: UnsafePointer<UInt8>?
    let status = pcap_next_ex(handle, &header, &data)
    if status == PCAP_ERROR_BREAK { return nil }
    guard status == 1, let header else {
      throw PcapError(message: String(cString: pcap_geterr(handle)), path: path)
    }
    let captured = Int(header.pointee.caplen)
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: captured)) } ?? []
    var seconds = Int64(header.pointee.ts.tv_sec)
    if seconds < 0 && seconds >= Int64(Int32.min) {
      // pcap stores seconds as an unsigned 32-bit number, libpcap 1.10 reads it as signed.
      seconds = Int64(UInt32(truncatingIfNeeded: seconds))
    }
    let nanoseconds = Int64(header.pointee.ts.tv_usec)
    // Only pcapng can hold timestamps this far out; saturate instead of trapping.
    let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
    let sum = scaled.addingReportingOverflow(nanoseconds)
    let timestamp = overflow || sum.overflow ? (seconds < 0 ? .min : .max) : sum.partialValue
    return PcapRecord(
      timestampNanoseconds: timestamp, bytes: bytes,
      originalLength: Int(header.pointee.len))
  }

  /// Reads all remaining packets.
  ///
  /// - Throws: `PcapError` as `next()` does; the packets read before the error are lost.
  public func readAll() throws(PcapError) -> [PcapRecord] {
    var records: [PcapRecord] = []
    while let record = try next() { records.append(record) }
    return records
  }

  /// Closes the file. Later calls do nothing; `next()` then returns `nil`.
  public func close() {
    if let handle { pcap_close(handle) }
    handle = nil
  }
}
