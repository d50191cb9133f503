import Foundation
import UsnetSockets
import UsnetStack
import UsnetWire

/// Replays the kernel peer's side of a fixture capture (Fixtures/pcaps) into a fresh
/// ``NetworkStack`` with the recorded identity on a virtual clock whose times come from the
/// capture, and checks every frame the stack emits against the recorded one
/// (``FrameComparison`` through a ``ReplayMapping``).
///
/// The application's socket calls are not in a capture, so a test places them on the
/// recorded timeline: an action keyed by frame number runs just before that frame, at its
/// time. Stack frames are compared in order; one emitted earlier than recorded waits in a
/// queue (the replay's clock is exact, the recording's threads were not), so timing is not
/// compared.
///
/// Not thread-safe; one test owns it.
final class FixtureReplay {
  /// The identity `ci/capture-fixtures.sh` gives the stack.
  static let stackMAC = MACAddress(0x02, 0x00, 0xc6, 0x12, 0x05, 0x02)
  /// The stack's address (a /24).
  static let stackIP = IPv4Address(198, 18, 5, 2)
  /// The kernel side of the TAP, the stack's gateway.
  static let kernelIP = IPv4Address(198, 18, 5, 1)

  let frames: [RecordedFrame]
  let stack: NetworkStack
  private(set) var now = Instant.zero
  private(set) var mapping = ReplayMapping()
  /// Every difference found, one line each, naming the frame and the field.
  private(set) var differences: [String] = []
  private var pending: [[UInt8]] = []
  private var buffer: [UInt8] = []

  /// Loads `Fixtures/pcaps/<name>.pcap` and builds the stack as `usnet serve` built it from
  /// the script's `USNET_SOCKETS` (the knobs at their defaults, a 1500-byte TAP, no offloads:
  /// the replay computes every checksum), with the TCP options of the stack that was
  /// recorded: the fixtures predate SACK and timestamps, so the replayed stack offers neither.
  init(fixture name: String) throws {
    frames = try RecordedFrame.read(path: Self.path(of: name), stackMAC: Self.stackMAC)
    guard
      let identity = SocketsConfiguration.StaticIPv4(
        address: Self.stackIP, prefixLength: 24, gateway: Self.kernelIP)
    else { throw ReplayError("198.18.5.2/24 is not a network") }
    let sockets = SocketsConfiguration(
      device: .tap(.create(mac: .static(Self.stackMAC), ipv4: identity, hostIP: Self.kernelIP)))
    var configuration = try sockets.stackConfiguration(
      adjusting: StackConfiguration(
        interface: InterfaceConfiguration(
          macAddress: Self.stackMAC, addresses: [identity.network], gateway: Self.kernelIP)))
    configuration.tcp.selectiveAcknowledgments = false
    configuration.tcp.timestamps = false
    // The captures were made with a fixed receive buffer and no quick ACKs.
    configuration.tcp.receiveBufferAutotuning = false
    configuration.tcp.quickACKs = 0
    var random = SeededRandom(seed: 1)
    stack = try NetworkStack(configuration: configuration, random: &random)
  }

  /// The fixture file `name` in the package's Fixtures/pcaps.
  static func path(of name: String) -> String {
    directory.appendingPathComponent("\(name).pcap").path
  }

  /// The package's Fixtures/pcaps.
  static var directory: URL {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("Fixtures/pcaps")
  }

  /// Teaches the stack the peer's MAC, as the ARP exchange at the start of the recording
  /// session did (a fixture cut to one connection lacks it): an ARP request from the first
  /// peer frame's MAC and address, whose reply is dropped.
  func primeNeighbor() {
    guard let first = frames.first(where: { !$0.isFromStack }), first.bytes.count >= 34 else {
      return
    }
    let peerMAC = MACAddress(reading: first.bytes, at: 6)
    let peerIP = IPv4Address(reading: first.bytes, at: 26)
    var frame = [UInt8](repeating: 0, count: EthernetHeader.length + ARPPacket.length)
    EthernetHeader(destination: .broadcast, source: peerMAC, etherType: .arp)
      .emit(into: &frame, at: 0)
    ARPPacket(
      operation: .request, senderMAC: peerMAC, senderIP: peerIP, targetMAC: .zero,
      targetIP: Self.stackIP
    ).emit(into: &frame, at: EthernetHeader.length)
    stack.receive(frame: frame, at: now)
    drain()
    pending.removeAll()
  }

  /// Plays the whole capture: before each frame, the action keyed by its number (if any) runs
  /// at its time; a peer frame is fed (``ReplayMapping/peerFrame(_:)``), a stack frame is
  /// compared with the next one the stack emitted. Frames the stack emits beyond the
  /// recording, up to the last frame's time, are differences too.
  func run(actions: [Int: (FixtureReplay) throws -> Void] = [:]) throws {
    for frame in frames {
      advance(to: frame.time)
      if let action = actions[frame.number] {
        try action(self)
        drain()
      }
      if frame.isFromStack {
        guard !pending.isEmpty else {
          differences.append("frame \(frame.number): recorded from the stack, none emitted")
          continue
        }
        var comparison = FrameComparison(number: frame.number)
        comparison.compare(emitted: pending.removeFirst(), recorded: frame.bytes, mapping: &mapping)
        differences += comparison.differences
      } else {
        let fed = mapping.peerFrame(frame.bytes)
        stack.receive(frame: fed, at: now)
        drain()
      }
    }
    for extra in pending {
      differences.append("after the last frame: the stack emitted \(extra.count) bytes more")
    }
  }

  /// Moves the clock to `time`, firing every timer due on the way at its deadline.
  private func advance(to time: Instant) {
    drain()
    while let deadline = stack.nextDeadline, deadline <= time {
      if now < deadline { now = deadline }
      drain()
      if stack.nextDeadline == deadline { break }
    }
    if now < time { now = time }
    drain()
  }

  /// Takes everything the stack has to send now.
  fileprivate func drain() {
    while stack.transmit(into: &buffer, at: now) { pending.append(buffer) }
  }
}

/// A replay that cannot start.
struct ReplayError: Error, CustomStringConvertible {
  let description: String
  init(_ description: String) { self.description = description }
}

extension FixtureReplay {
  /// The TCP payload of recorded frame `number`: what the application wrote, for actions
  /// that write it again.
  func payload(ofFrame number: Int) throws -> [UInt8] {
    guard let frame = frames.first(where: { $0.number == number }) else {
      throw ReplayError("the capture has no frame \(number)")
    }
    let tcp = EthernetHeader.length + Int(frame.bytes[EthernetHeader.length] & 0x0f) * 4
    let headerLength = Int(frame.bytes[tcp + 12] >> 4) * 4
    let total = EthernetHeader.length + Int(frame.bytes.readUInt16(at: EthernetHeader.length + 2))
    return Array(frame.bytes[(tcp + headerLength)..<total])
  }

  /// Writes all of `bytes` on `id` and transmits what that allows at once, as the runtime
  /// does on the writer's thread (ARCHITECTURE decision 20).
  func send(_ id: TCPSocketID, _ bytes: [UInt8]) throws {
    let written = try stack.send(id, bytes, at: now)
    guard written == bytes.count else {
      throw ReplayError("the send buffer took \(written) of \(bytes.count) bytes")
    }
    drain()
  }

  /// Everything readable on `id` now (empty at the end of the stream).
  func read(_ id: TCPSocketID) throws -> [UInt8] {
    var buffer = [UInt8](repeating: 0, count: 65536)
    let count = try stack.receive(id, into: &buffer, at: now) ?? 0
    return Array(buffer.prefix(count))
  }
}
