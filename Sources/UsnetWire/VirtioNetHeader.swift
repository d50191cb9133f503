/// The virtio-net header (`struct virtio_net_hdr`) that TAP, macvtap and AF_PACKET
/// (`PACKET_VNET_HDR`) put in front of every frame once it is enabled: per-frame checksum and
/// segmentation offload metadata.
///
/// The 10-byte form is the default; the 12-byte form (`virtio_net_hdr_mrg_rxbuf`, chosen with
/// `TUNSETVNETHDRSZ`) adds ``bufferCount``. Multi-byte fields are little-endian, which is what
/// a legacy TAP uses on little-endian hosts (x86-64, AArch64) unless told otherwise
/// (`TUNSETVNETBE`).
///
/// On receive, ``Flags/needsChecksum`` means the transport checksum field holds only the
/// pseudo-header sum (the kernel's own packets, CHECKSUM_PARTIAL) and
/// ``Flags/dataValid`` that the kernel already verified it; a ``gsoType`` other than
/// ``GSOType/none`` marks a frame larger than the MTU (GRO/GSO) cut into ``gsoSize``-byte
/// segments on a real wire. On transmit, the same fields ask the kernel to finish the checksum
/// at ``checksumStart`` + ``checksumOffset`` and to segment the frame.
///
/// A plain value; `Sendable`.
public struct VirtioNetHeader: Hashable, Sendable {
  /// `VIRTIO_NET_HDR_F_*`.
  public struct Flags: OptionSet, Hashable, Sendable {
    /// The raw flag byte.
    public var rawValue: UInt8

    /// Creates flags from the raw byte.
    @inlinable
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// `NEEDS_CSUM`: the checksum at ``VirtioNetHeader/checksumStart`` +
    /// ``VirtioNetHeader/checksumOffset`` holds the pseudo-header sum; the rest is to be
    /// summed from `checksumStart` to the end of the frame.
    public static let needsChecksum = Flags(rawValue: 1)
    /// `DATA_VALID`: the checksums were verified (receive only).
    public static let dataValid = Flags(rawValue: 2)
    /// `RSC_INFO`: coalescing information in the checksum fields (receive only).
    public static let coalescingInfo = Flags(rawValue: 4)
  }

  /// `VIRTIO_NET_HDR_GSO_*`: how a frame larger than the MTU is to be segmented.
  public struct GSOType: RawRepresentable, Hashable, Sendable {
    /// The raw byte, including the ``ecn`` bit.
    public var rawValue: UInt8

    /// Creates a type from the raw byte.
    @inlinable
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// Not a segmentation offload frame.
    public static let none = GSOType(rawValue: 0)
    /// TCP over IPv4 (TSO4).
    public static let tcpV4 = GSOType(rawValue: 1)
    /// UDP fragmentation offload (UFO).
    public static let udp = GSOType(rawValue: 3)
    /// TCP over IPv6 (TSO6).
    public static let tcpV6 = GSOType(rawValue: 4)
    /// UDP segmentation offload (USO).
    public static let udpL4 = GSOType(rawValue: 5)
    /// The ECN bit that may be or-ed into the TCP types (`VIRTIO_NET_HDR_GSO_ECN`).
    public static let ecn = GSOType(rawValue: 0x80)

    /// The type without the ``ecn`` bit.
    @inlinable
    public var withoutECN: GSOType { GSOType(rawValue: rawValue & 0x7F) }
  }

  /// Checksum state of the frame.
  public var flags: Flags
  /// Segmentation offload type.
  public var gsoType: GSOType
  /// Length of the headers (Ethernet, IP, TCP) that every segment repeats (`hdr_len`).
  public var headerLength: UInt16
  /// Payload bytes per segment (`gso_size`, the MSS for TCP).
  public var gsoSize: UInt16
  /// Offset in the frame where checksumming starts (`csum_start`, the transport header).
  public var checksumStart: UInt16
  /// Offset of the checksum field from ``checksumStart`` (`csum_offset`: 16 for TCP, 6 for
  /// UDP).
  public var checksumOffset: UInt16
  /// `num_buffers`, present only in the 12-byte form; 0 in the 10-byte form.
  public var bufferCount: UInt16

  /// The length of the default form, `sizeof(struct virtio_net_hdr)`.
  public static let length = 10
  /// The length of the form with ``bufferCount`` (`struct virtio_net_hdr_mrg_rxbuf`).
  public static let mergeableLength = 12

  /// Creates a header; the default is a frame without offloads (all zero).
  @inlinable
  public init(
    flags: Flags = [], gsoType: GSOType = .none, headerLength: UInt16 = 0, gsoSize: UInt16 = 0,
    checksumStart: UInt16 = 0, checksumOffset: UInt16 = 0, bufferCount: UInt16 = 0
  ) {
    self.flags = flags
    self.gsoType = gsoType
    self.headerLength = headerLength
    self.gsoSize = gsoSize
    self.checksumStart = checksumStart
    self.checksumOffset = checksumOffset
    self.bufferCount = bufferCount
  }

  /// Whether the transport checksum need not be verified in software: it is partial
  /// (``Flags/needsChecksum``) or was verified (``Flags/dataValid``).
  @inlinable
  public var checksumIsTrusted: Bool { !flags.isDisjoint(with: [.needsChecksum, .dataValid]) }

  /// Parses a header of `length` bytes (``length`` or ``mergeableLength``) at `offset`.
  ///
  /// - Throws: `.truncated` when fewer than `length` bytes follow `offset`, `.unsupported`
  ///   for another length. Field values are not checked: a device reports what it reports.
  public static func parse(
    _ buffer: [UInt8], at offset: Int, length: Int = VirtioNetHeader.length
  ) throws(WireError) -> VirtioNetHeader {
    guard length == Self.length || length == mergeableLength else { throw .unsupported }
    guard offset >= 0, offset <= buffer.count, buffer.count - offset >= length else {
      throw .truncated
    }
    func field(_ at: Int) -> UInt16 {
      UInt16(buffer[offset + at]) | UInt16(buffer[offset + at + 1]) &<< 8
    }
    return VirtioNetHeader(
      flags: Flags(rawValue: buffer[offset]), gsoType: GSOType(rawValue: buffer[offset + 1]),
      headerLength: field(2), gsoSize: field(4), checksumStart: field(6),
      checksumOffset: field(8), bufferCount: length == mergeableLength ? field(10) : 0)
  }

  /// Writes the header in `length` bytes (``length`` or ``mergeableLength``; anything else
  /// counts as ``length``) at `offset`; the buffer must have room for them.
  public func emit(
    into buffer: inout [UInt8], at offset: Int, length: Int = VirtioNetHeader.length
  ) {
    func write(_ value: UInt16, _ at: Int) {
      buffer[offset + at] = UInt8(truncatingIfNeeded: value)
      buffer[offset + at + 1] = UInt8(truncatingIfNeeded: value &>> 8)
    }
    buffer[offset] = flags.rawValue
    buffer[offset + 1] = gsoType.rawValue
    write(headerLength, 2)
    write(gsoSize, 4)
    write(checksumStart, 6)
    write(checksumOffset, 8)
    if length == Self.mergeableLength { write(bufferCount, 10) }
  }
}
