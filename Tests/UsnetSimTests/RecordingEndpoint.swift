import UsnetSim
import UsnetStack
import UsnetWire

/// A switch endpoint for tests: sends the frames queued in its outbox, records every
/// delivery with its time.
final class RecordingEndpoint: SwitchEndpoint {
  var outbox: [[UInt8]] = []
  var received: [(time: Instant, frame: [UInt8])] = []

  func deliver(frame: [UInt8], range: Range<Int>, at now: Instant) {
    received.append((now, Array(frame[range])))
  }

  func nextFrame(into frame: inout [UInt8], at now: Instant) -> Bool {
    guard !outbox.isEmpty else { return false }
    frame = outbox.removeFirst()
    return true
  }

  var nextDeadline: Instant? { nil }
}

enum TestFrames {
  static func mac(_ last: UInt8) -> MACAddress { MACAddress(0x02, 0, 0, 0, 0, last) }

  /// An Ethernet frame of `length` bytes whose payload starts with a 32-bit sequence number.
  static func ethernet(
    from source: MACAddress, to destination: MACAddress, sequence: Int, length: Int = 100
  ) -> [UInt8] {
    var frame = [UInt8](repeating: 0xab, count: max(length, 18))
    EthernetHeader(destination: destination, source: source, etherType: EtherType(rawValue: 0x88b5))
      .emit(into: &frame, at: 0)
    frame.writeUInt32(UInt32(truncatingIfNeeded: sequence), at: 14)
    return frame
  }

  static func sequence(of frame: [UInt8]) -> Int { Int(frame.readUInt32(at: 14)) }

  /// An Ethernet frame with an IPv4/UDP-ish packet of `ipLength` bytes, DF set.
  static func ipv4(
    from source: MACAddress, to destination: MACAddress, ipLength: Int, dontFragment: Bool = true
  ) -> [UInt8] {
    var frame = [UInt8](repeating: 0x11, count: 14 + ipLength)
    EthernetHeader(destination: destination, source: source, etherType: .ipv4)
      .emit(into: &frame, at: 0)
    IPv4Header(
      source: IPv4Address(198, 18, 0, 1), destination: IPv4Address(198, 18, 0, 2),
      protocol: .udp, payloadLength: ipLength - 20, identification: 77,
      dontFragment: dontFragment
    ).emit(into: &frame, at: 14)
    return frame
  }
}

/// A simulation with two recording endpoints on ports 0 and 1 (MACs ...:01 and ...:02).
struct TwoPorts {
  let simulation: Simulation
  let a = RecordingEndpoint()
  let b = RecordingEndpoint()
  let portA: SwitchPort
  let portB: SwitchPort

  init(seed: UInt64 = 7) {
    simulation = Simulation(seed: seed)
    portA = simulation.addPort()
    portB = simulation.addPort()
    simulation.attach(a, to: portA)
    simulation.attach(b, to: portB)
  }

  /// Sends `count` frames from A to B, one every `interval`, and runs until all is delivered.
  func sendAToB(count: Int, interval: Duration, length: Int = 100) {
    let a = a
    for index in 0..<count {
      let frame = TestFrames.ethernet(
        from: TestFrames.mac(1), to: TestFrames.mac(2), sequence: index, length: length)
      simulation.schedule(at: simulation.now + interval * index) { _ in a.outbox.append(frame) }
    }
    simulation.advance(by: interval * count + .seconds(10))
  }
}
