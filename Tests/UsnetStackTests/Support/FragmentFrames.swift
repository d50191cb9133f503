import UsnetStack
import UsnetWire

/// IPv4 fragments as a peer would send them, and reassembly of what a stack sent.
enum FragmentFrames {
  /// One fragment from B to A: `data` at payload `offset` of datagram `identification`, with MF
  /// as given and DF clear (valid header checksum; the offset must be a multiple of 8).
  static func fragment(
    _ data: [UInt8], offset: Int, more: Bool, identification: UInt16 = 0x4242,
    protocol ipProtocol: IPProtocol = .udp, source: IPv4Address = TestHosts.ipB,
    destination: IPv4Address = TestHosts.ipA, to destinationMAC: MACAddress = TestHosts.macA
  ) -> [UInt8] {
    var header = IPv4Header(
      source: source, destination: destination, protocol: ipProtocol,
      payloadLength: data.count, identification: identification, dontFragment: false)
    header.moreFragments = more
    header.fragmentOffset = offset
    var packet = [UInt8](repeating: 0, count: IPv4Header.minimumLength)
    header.emit(into: &packet, at: 0)
    packet.append(contentsOf: data)
    return PeerFrames.ethernet(to: destinationMAC, type: .ipv4, payload: packet)
  }

  /// `payload` (a whole IPv4 payload, such as a UDP header and data) cut at `cuts` (multiples
  /// of 8, ascending) into fragments, in order.
  static func split(
    _ payload: [UInt8], at cuts: [Int], identification: UInt16 = 0x4242,
    protocol ipProtocol: IPProtocol = .udp, destination: IPv4Address = TestHosts.ipA,
    to destinationMAC: MACAddress = TestHosts.macA
  ) -> [[UInt8]] {
    let bounds = [0] + cuts + [payload.count]
    return (0..<(bounds.count - 1)).map { index in
      fragment(
        Array(payload[bounds[index]..<bounds[index + 1]]), offset: bounds[index],
        more: index < bounds.count - 2, identification: identification,
        protocol: ipProtocol, destination: destination, to: destinationMAC)
    }
  }

  /// Cuts every `size` bytes (a multiple of 8) of a payload of `count` bytes.
  static func cuts(every size: Int, count: Int) -> [Int] {
    Array(stride(from: size, to: count, by: size))
  }

  /// The IPv4 payload reassembled from fragments a stack sent (in any order), or `nil` when
  /// they do not fit together exactly.
  static func reassemble(_ frames: [ParsedFrame]) -> [UInt8]? {
    var pieces: [(offset: Int, bytes: ArraySlice<UInt8>, last: Bool)] = []
    for frame in frames {
      guard let ip = frame.ip,
        let parsed = try? IPv4Header.parse(
          frame.bytes, in: EthernetHeader.length..<frame.bytes.count)
      else { return nil }
      pieces.append((ip.fragmentOffset, frame.bytes[parsed.payload], !ip.moreFragments))
    }
    pieces.sort { $0.offset < $1.offset }
    var result: [UInt8] = []
    for (index, piece) in pieces.enumerated() {
      guard piece.offset == result.count, piece.last == (index == pieces.count - 1) else {
        return nil
      }
      result.append(contentsOf: piece.bytes)
    }
    return result
  }
}
