import UsnetWire

/// Compares a frame the replayed stack emitted with the recorded one, field by field, through
/// a ``ReplayMapping``; each difference is one line naming the frame number and the field.
///
/// Checksums: ours must be valid (parsed with verification); the recorded ones are not
/// compared, since they cover the mapped fields and may be partial (TAP offloads).
struct FrameComparison {
  var number: Int
  private(set) var differences: [String] = []

  init(number: Int) {
    self.number = number
  }

  /// Compares `emitted` with `recorded`, learning and applying `mapping`.
  mutating func compare(emitted: [UInt8], recorded: [UInt8], mapping: inout ReplayMapping) {
    guard
      let (ours, ourPayload) = parse(
        "emitted", { try EthernetHeader.parse(emitted, in: 0..<emitted.count) }),
      let (theirs, theirPayload) = parse(
        "recorded", { try EthernetHeader.parse(recorded, in: 0..<recorded.count) })
    else { return }
    check("ethernet.destination", ours.destination, theirs.destination)
    check("ethernet.source", ours.source, theirs.source)
    check("ethernet.type", ours.etherType.rawValue, theirs.etherType.rawValue)
    check("frame length", emitted.count, recorded.count)
    guard ours.etherType == theirs.etherType else { return }
    switch ours.etherType {
    case .arp:
      check(
        "arp", try? ARPPacket.parse(emitted, in: ourPayload),
        try? ARPPacket.parse(recorded, in: theirPayload))
    case .ipv4:
      compareIPv4(emitted, ourPayload, recorded, theirPayload, &mapping)
    default:
      check("payload", Array(emitted[ourPayload]), Array(recorded[theirPayload]))
    }
  }

  private mutating func compareIPv4(
    _ emitted: [UInt8], _ ourRange: Range<Int>, _ recorded: [UInt8], _ theirRange: Range<Int>,
    _ mapping: inout ReplayMapping
  ) {
    guard
      let (ours, ourPayload) = parse(
        "emitted IPv4", { try IPv4Header.parse(emitted, in: ourRange) }),
      let (theirs, theirPayload) = parse(
        "recorded IPv4",
        {
          try IPv4Header.parse(recorded, in: theirRange, verifyChecksum: false)
        })
    else { return }
    check("ipv4.dscp_ecn", ours.dscpECN, theirs.dscpECN)
    check("ipv4.total_length", ours.totalLength, theirs.totalLength)
    check(
      "ipv4.identification (mapped)",
      mapping.recordedIdentification(ours.identification, recorded: theirs.identification),
      theirs.identification)
    check("ipv4.dont_fragment", ours.dontFragment, theirs.dontFragment)
    check("ipv4.fragment", ours.isFragment, theirs.isFragment)
    check("ipv4.ttl", ours.timeToLive, theirs.timeToLive)
    check("ipv4.protocol", ours.protocol.rawValue, theirs.protocol.rawValue)
    check("ipv4.source", ours.source, theirs.source)
    check("ipv4.destination", ours.destination, theirs.destination)
    guard ours.protocol == .tcp, theirs.protocol == .tcp else {
      check("ipv4.payload", Array(emitted[ourPayload]), Array(recorded[theirPayload]))
      return
    }
    guard
      let (ourTCP, tcpPayload) = parse(
        "emitted TCP",
        {
          try TCPHeader.parse(
            emitted, in: ourPayload, source: ours.source, destination: ours.destination)
        }),
      let (recordedTCP, recordedTCPPayload) = parse(
        "recorded TCP",
        {
          try TCPHeader.parse(
            recorded, in: theirPayload, source: theirs.source, destination: theirs.destination,
            verifyChecksum: false)
        })
    else { return }
    compareTCP(ourTCP, recordedTCP, &mapping)
    check("tcp.payload", Array(emitted[tcpPayload]), Array(recorded[recordedTCPPayload]))
  }

  private mutating func compareTCP(
    _ ours: TCPHeader, _ theirs: TCPHeader, _ mapping: inout ReplayMapping
  ) {
    let peerPort = ours.destinationPort
    if ours.flags.contains(.syn), theirs.flags.contains(.syn) {
      mapping.learnSequence(
        peerPort: peerPort, replayed: ours.sequenceNumber, recorded: theirs.sequenceNumber)
    }
    check("tcp.srcport", ours.sourcePort, theirs.sourcePort)
    check("tcp.dstport", ours.destinationPort, theirs.destinationPort)
    check(
      "tcp.seq (mapped)", mapping.recordedSequence(ours.sequenceNumber, peerPort: peerPort),
      theirs.sequenceNumber)
    check("tcp.ack", ours.acknowledgmentNumber, theirs.acknowledgmentNumber)
    check("tcp.flags", ours.flags, theirs.flags)
    check("tcp.window", ours.window, theirs.window)
    check("tcp.urgent_pointer", ours.urgentPointer, theirs.urgentPointer)
    check("tcp.options", ours.options, theirs.options)
  }

  /// Records a difference when `ours` and `theirs` differ.
  private mutating func check<T: Equatable>(_ field: String, _ ours: T, _ theirs: T) {
    if ours != theirs {
      differences.append("frame \(number): \(field) is \(show(ours)), recorded \(show(theirs))")
    }
  }

  private func show<T>(_ value: T) -> String {
    if let bytes = value as? [UInt8] { return "\(bytes.count) bytes \(bytes.prefix(16))" }
    return String(describing: value)
  }

  /// Runs `parser`, recording a failure as a difference.
  private mutating func parse<Header>(
    _ what: String, _ parser: () throws -> (Header, Range<Int>)
  ) -> (Header, Range<Int>)? {
    do {
      return try parser()
    } catch {
      differences.append("frame \(number): the \(what) frame does not parse: \(error)")
      return nil
    }
  }
}
