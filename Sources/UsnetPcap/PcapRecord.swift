/// One packet read from a capture file.
public struct PcapRecord: Hashable, Sendable {
  /// When the packet was captured, in nanoseconds since the Unix epoch (for usnet's own files:
  /// since the start of the virtual clock, as written).
  public var timestampNanoseconds: Int64

  /// The captured bytes; shorter than `originalLength` if the capture cut the packet at the
  /// snapshot length.
  public var bytes: [UInt8]

  /// The length of the packet on the wire, in bytes.
  public var originalLength: Int

  /// Creates a record.
  public init(timestampNanoseconds: Int64, bytes: [UInt8], originalLength: Int) {
    self.timestampNanoseconds = timestampNanoseconds
    self.bytes = bytes
    self.originalLength = originalLength
  }

  /// Whether the capture holds fewer bytes than the packet had on the wire.
  public var isTruncated: Bool {
    bytes.count < originalLength
  }
}
