import UsnetStack
import UsnetWire

extension Simulation {
  /// Puts the frame in `slot` on `port`'s link in `direction`: MTU check, loss, rate limiter
  /// and queue, duplication, corruption, delay with jitter, reordering. Schedules its arrival
  /// at the far end, or releases the slot when it is dropped.
  func send(slot: Int, on port: SwitchPort, direction: PortDirection) {
    let length = frames.buffers[slot].count
    port.update(direction) { $0.offered += 1 }
    guard length >= EthernetHeader.length else {
      port.update(direction) { $0.runts += 1 }
      frames.release(slot)
      return
    }
    if length - EthernetHeader.length > port.mtu {
      port.update(direction) { $0.mtuDrops += 1 }
      if port.mtuPolicy == .fragmentationNeeded, answerTooBig(slot: slot, mtu: port.mtu) {
        port.update(direction) { $0.fragmentationNeededSent += 1 }
      }
      frames.release(slot)
      return
    }
    let link = port.impairments(direction)
    let channel = direction.rawValue
    if port.channels[channel].loses(link.loss) {
      port.update(direction) { $0.lost += 1 }
      frames.release(slot)
      return
    }
    var departure = now
    if let rate = link.rateBitsPerSecond {
      guard
        let leaves = port.channels[channel].serialize(
          bytes: length, at: now, rate: rate, queueLimit: link.queueBytes)
      else {
        port.update(direction) { $0.queueDrops += 1 }
        frames.release(slot)
        return
      }
      departure = leaves
    }
    let copies = port.channels[channel].chance(link.duplicationProbability) ? 2 : 1
    if copies == 2 { port.update(direction) { $0.duplicated += 1 } }
    for copy in 0..<copies {
      let copySlot = copy == 0 ? slot : frames.duplicate(slot)
      if port.channels[channel].chance(link.corruptionProbability) {
        let bit = Int(port.channels[channel].random.next() % UInt64(length * 8))
        frames.flipBit(copySlot, bit: bit)
        port.update(direction) { $0.corrupted += 1 }
      }
      var delay = link.delay + port.channels[channel].jitterOffset(link.jitter)
      if delay < .zero { delay = .zero }
      var arrival = departure + delay
      if port.channels[channel].chance(link.reorderProbability) {
        arrival += link.reorderDelay
        port.update(direction) { $0.reordered += 1 }
      } else {
        arrival = Swift.max(arrival, port.channels[channel].lastDelivery)
        port.channels[channel].lastDelivery = arrival
      }
      let kind: EventKind =
        direction == .toSwitch
        ? .arriveAtSwitch(slot: copySlot, port: port.index)
        : .deliverToEndpoint(slot: copySlot, port: port.index)
      events.schedule(kind, at: arrival)
    }
  }

  /// A frame reached the switch from `ingress` (or from the router, `nil`): learn, then
  /// forward, flood or filter it.
  func switchFrame(slot: Int, ingress: Int?) {
    let ports = virtualSwitch.ports
    if let ingress {
      ports[ingress].update(.toSwitch) { $0.delivered += 1 }
    }
    virtualSwitch.framesSwitched += 1
    guard frames.buffers[slot].count >= EthernetHeader.length else {
      frames.release(slot)
      return
    }
    let destination = MACAddress(reading: frames.buffers[slot], at: 0)
    let source = MACAddress(reading: frames.buffers[slot], at: 6)
    switch virtualSwitch.route(source: source, destination: destination, ingress: ingress) {
    case .port(let egress):
      send(slot: slot, on: ports[egress], direction: .toEndpoint)
    case .filtered:
      virtualSwitch.framesFiltered += 1
      frames.release(slot)
    case .flood:
      virtualSwitch.framesFlooded += 1
      let targets = ports.filter { $0.index != ingress }
      guard let last = targets.last else {
        frames.release(slot)
        return
      }
      for port in targets.dropLast() {
        send(slot: frames.duplicate(slot), on: port, direction: .toEndpoint)
      }
      send(slot: slot, on: last, direction: .toEndpoint)
    }
  }

  /// Sends an ICMP fragmentation-needed for the oversized frame in `slot`, from the router
  /// into the switch. Returns whether one was sent.
  private func answerTooBig(slot: Int, mtu: Int) -> Bool {
    guard
      let answer = FragmentationNeeded.answer(
        to: frames.buffers[slot], mtu: mtu, routerAddress: virtualSwitch.routerAddress,
        routerMAC: virtualSwitch.routerMAC)
    else { return false }
    let answerSlot = frames.store(answer, range: 0..<answer.count)
    switchFrame(slot: answerSlot, ingress: nil)
    return true
  }
}
