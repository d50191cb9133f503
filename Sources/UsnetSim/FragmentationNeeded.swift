import UsnetWire

/// Builds the ICMPv4 "fragmentation needed and DF set" message (type 3, code 4, RFC 1191) a
/// router sends back for a packet too big for the next hop.
public enum FragmentationNeeded {
  /// The complete Ethernet frame answering `frame`, or `nil` when a router would not answer:
  /// not IPv4, no DF bit, malformed, or itself an ICMP error. The answer goes to the frame's
  /// source MAC and IPv4 address and quotes its IPv4 header and first 8 payload bytes.
  public static func answer(
    to frame: [UInt8], mtu: Int, routerAddress: IPv4Address, routerMAC: MACAddress
  ) -> [UInt8]? {
    guard
      let (ethernet, payload) = try? EthernetHeader.parse(frame, in: 0..<frame.count),
      ethernet.etherType == .ipv4, ethernet.source.isUnicast,
      let (ip, ipPayload) = try? IPv4Header.parse(frame, in: payload, verifyChecksum: true),
      ip.dontFragment, !ip.isFragment
    else { return nil }
    if ip.protocol == .icmp {
      guard ipPayload.count >= 1 else { return nil }
      let type = frame[ipPayload.lowerBound]
      guard type == 0 || type == 8 else { return nil }  // only echo is answered
    }
    let quoteLength = Swift.min(ip.headerLength + 8, ipPayload.upperBound - payload.lowerBound)
    let icmpLength = ICMPv4Packet.headerLength + quoteLength
    let ipOffset = EthernetHeader.length
    let icmpOffset = ipOffset + IPv4Header.minimumLength
    var answer = [UInt8](repeating: 0, count: icmpOffset + icmpLength)
    EthernetHeader(destination: ethernet.source, source: routerMAC, etherType: .ipv4)
      .emit(into: &answer, at: 0)
    IPv4Header(
      source: routerAddress, destination: ip.source, protocol: .icmp, payloadLength: icmpLength,
      timeToLive: 64, dontFragment: false
    ).emit(into: &answer, at: ipOffset)
    let quoteOffset = icmpOffset + ICMPv4Packet.headerLength
    answer[quoteOffset..<(quoteOffset + quoteLength)] =
      frame[payload.lowerBound..<(payload.lowerBound + quoteLength)]
    ICMPv4Packet(
      message: .destinationUnreachable(.fragmentationNeeded, nextHopMTU: UInt16(clamping: mtu))
    ).emit(into: &answer, at: icmpOffset, payloadLength: quoteLength)
    return answer
  }
}
