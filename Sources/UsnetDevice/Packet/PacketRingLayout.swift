/// The sizes of a ``PacketSocket``'s PACKET_MMAP rings: a TPACKET_V3 receive ring of blocks,
/// each holding as many frames as fit and handed to the reader when full or when the retire
/// timeout passes, and a transmit ring of fixed-size frames (TPACKET_V3 header, one frame per
/// slot).
///
/// Block sizes are multiples of the page size (4096 bytes). A receive block must hold the
/// largest frame (a 64 KB GSO frame with its headers), and so must a transmit frame. With
/// ``transmitBlockCount`` 0 there is no transmit ring and frames go out with `writev`.
/// A plain value; `Sendable`.
public struct PacketRingLayout: Hashable, Sendable {
  /// The bytes of one receive block.
  public var receiveBlockSize: Int
  /// The number of receive blocks.
  public var receiveBlockCount: Int
  /// The nominal frame size the kernel counts receive frames in (TPACKET_V3 packs frames
  /// tighter; it only has to divide into the block).
  public var receiveFrameSize: Int
  /// Milliseconds after which the kernel hands over a block that is not full (rounded up to
  /// the kernel's timer tick, 4 ms at HZ=250): the receive latency under light load.
  public var retireTimeoutMilliseconds: Int
  /// The bytes of one transmit block.
  public var transmitBlockSize: Int
  /// The number of transmit blocks; 0 for no transmit ring.
  public var transmitBlockCount: Int
  /// The bytes of one transmit slot: the 48-byte TPACKET_V3 header, the virtio-net header and
  /// the frame.
  public var transmitFrameSize: Int

  /// Creates a layout from its sizes; ``validate()`` checks them.
  public init(
    receiveBlockSize: Int, receiveBlockCount: Int, receiveFrameSize: Int = 2048,
    retireTimeoutMilliseconds: Int = 1, transmitBlockSize: Int, transmitBlockCount: Int,
    transmitFrameSize: Int
  ) {
    self.receiveBlockSize = receiveBlockSize
    self.receiveBlockCount = receiveBlockCount
    self.receiveFrameSize = receiveFrameSize
    self.retireTimeoutMilliseconds = retireTimeoutMilliseconds
    self.transmitBlockSize = transmitBlockSize
    self.transmitBlockCount = transmitBlockCount
    self.transmitFrameSize = transmitFrameSize
  }

  /// 64 receive blocks of 128 KB (8 MB, the receive buffer lab note G5 asks for) and 60
  /// transmit slots of 65,616 bytes in 4 blocks of 1 MB: room for 64 KB super-frames both ways.
  public static let standard = PacketRingLayout(
    receiveBlockSize: 1 << 17, receiveBlockCount: 64, transmitBlockSize: 1 << 20,
    transmitBlockCount: 4, transmitFrameSize: 65_616)

  /// The largest frame (virtio-net header included) a receive block can hold whole.
  public var largestReceivedFrame: Int {
    receiveBlockSize - ReceiveBlock.descriptorLength - ReceiveBlock.packetHeaderLength
  }

  /// The largest frame (virtio-net header included) a transmit slot can hold.
  public var largestTransmittedFrame: Int { transmitFrameSize - TransmitSlot.dataOffset }

  /// Transmit slots per block (slots never cross a block boundary).
  var transmitSlotsPerBlock: Int { transmitBlockSize / max(transmitFrameSize, 1) }

  /// The number of transmit slots.
  var transmitSlotCount: Int { transmitSlotsPerBlock * transmitBlockCount }

  /// The bytes of the receive ring.
  var receiveLength: Int { receiveBlockSize * receiveBlockCount }

  /// The bytes of the transmit ring.
  var transmitLength: Int { transmitBlockSize * transmitBlockCount }

  /// The byte offset of transmit slot `slot` in the mapping (after the receive ring).
  func transmitSlotOffset(_ slot: Int) -> Int {
    receiveLength + slot / transmitSlotsPerBlock * transmitBlockSize
      + slot % transmitSlotsPerBlock * transmitFrameSize
  }

  /// Checks the sizes as the kernel will, and that they stay below 1 GB in all.
  ///
  /// - Throws: ``DeviceError`` with EINVAL naming the size at fault.
  public func validate() throws(DeviceError) {
    func fail(_ detail: String) -> DeviceError {
      DeviceError(call: "PACKET_RX_RING", errno: DeviceError.invalidArgument, detail: detail)
    }
    let page = 4096
    let limit = 1 << 30
    guard receiveBlockSize > 0, receiveBlockSize % page == 0, receiveBlockSize <= limit,
      receiveBlockCount > 0, receiveBlockCount <= limit / receiveBlockSize
    else {
      throw fail("receive blocks: \(receiveBlockCount) of \(receiveBlockSize) bytes")
    }
    guard receiveFrameSize >= 128, receiveFrameSize % 16 == 0,
      receiveFrameSize <= receiveBlockSize
    else { throw fail("receive frame size \(receiveFrameSize)") }
    guard (1...60_000).contains(retireTimeoutMilliseconds) else {
      throw fail("retire timeout \(retireTimeoutMilliseconds) ms")
    }
    guard
      transmitBlockCount == 0
        || (transmitBlockSize > 0 && transmitBlockSize % page == 0
          && transmitBlockSize <= limit && transmitBlockCount <= limit / transmitBlockSize
          && transmitFrameSize > TransmitSlot.dataOffset && transmitFrameSize % 16 == 0
          && transmitFrameSize <= transmitBlockSize)
    else {
      throw fail(
        "transmit ring: \(transmitBlockCount) blocks of \(transmitBlockSize) bytes, slots of "
          + "\(transmitFrameSize) bytes")
    }
  }
}
