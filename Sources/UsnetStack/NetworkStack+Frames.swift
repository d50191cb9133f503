import UsnetWire

extension NetworkStack {
  /// The longest IPv4 datagram, header included.
  static let maximumIPv4Length = 65535

  /// The most spare frame buffers kept for reuse.
  static let framePoolLimit = 512

  /// A buffer of `count` bytes, reused from the pool when one is there.
  func takeFrameBuffer(count: Int) -> [UInt8] {
    var frame = framePool.popLast() ?? []
    resize(&frame, to: count)
    return frame
  }

  /// Returns a buffer to the pool.
  func recycle(_ frame: consuming [UInt8]) {
    guard framePool.count < Self.framePoolLimit else { return }
    framePool.append(frame)
  }

  /// Builds an Ethernet + IPv4 frame around a payload of `payloadLength` bytes that `fill`
  /// writes at the offset it is given, and queues it for transmission (as fragments when it is
  /// longer than the MTU: an echo reply to a reassembled request).
  func queueIPv4Frame(
    to destinationMAC: MACAddress, source: IPv4Address, destination: IPv4Address,
    protocol ipProtocol: IPProtocol, payloadLength: Int,
    fill: (inout [UInt8], Int) -> Void
  ) {
    let frame = makeIPv4Frame(
      to: destinationMAC, source: source, destination: destination, protocol: ipProtocol,
      payloadLength: payloadLength, fill: fill)
    queueFragmenting(frame)
  }

  /// Builds an Ethernet + IPv4 frame (see ``queueIPv4Frame(to:source:destination:protocol:payloadLength:fill:)``).
  func makeIPv4Frame(
    to destinationMAC: MACAddress, source: IPv4Address, destination: IPv4Address,
    protocol ipProtocol: IPProtocol, payloadLength: Int, timeToLive: UInt8? = nil,
    dontFragment: Bool = false, fill: (inout [UInt8], Int) -> Void
  ) -> [UInt8] {
    let ipOffset = EthernetHeader.length
    let payloadOffset = ipOffset + IPv4Header.minimumLength
    var frame = takeFrameBuffer(count: payloadOffset + payloadLength)
    EthernetHeader(
      destination: destinationMAC, source: configuration.interface.macAddress, etherType: .ipv4
    ).emit(into: &frame, at: 0)
    IPv4Header(
      source: source, destination: destination, protocol: ipProtocol,
      payloadLength: payloadLength, timeToLive: timeToLive ?? configuration.timeToLive,
      identification: nextIdentification(), dontFragment: dontFragment || ipProtocol == .tcp
    ).emit(into: &frame, at: ipOffset)
    fill(&frame, payloadOffset)
    return frame
  }
}

/// Grows or shrinks `frame` to `count` bytes without releasing its storage.
func resize(_ frame: inout [UInt8], to count: Int) {
  if frame.count < count {
    frame.append(contentsOf: repeatElement(0, count: count - frame.count))
  } else if frame.count > count {
    frame.removeLast(frame.count - count)
  }
}
