import Testing
import UsnetDevice

/// Runs a classic BPF program the way the kernel's interpreter does, for the few opcodes
/// ``DestinationFilter`` uses: absolute loads, `jeq`/`jset` on a constant, `ret` of a constant.
/// A load past the end of the frame, an unknown opcode or a jump out of the program drops.
private func run(_ program: [BPFInstruction], on frame: [UInt8]) -> UInt32 {
  var accumulator: UInt32 = 0
  var pc = 0
  while program.indices.contains(pc) {
    let instruction = program[pc]
    pc += 1
    let offset = Int(instruction.constant)
    switch instruction.code {
    case BPFInstruction.loadByte, BPFInstruction.loadHalfword, BPFInstruction.loadWord:
      let width =
        [BPFInstruction.loadByte: 1, BPFInstruction.loadHalfword: 2][instruction.code] ?? 4
      guard offset + width <= frame.count else { return 0 }
      accumulator = frame[offset..<(offset + width)].reduce(0) { $0 << 8 | UInt32($1) }
    case BPFInstruction.jumpIfEqual:
      let taken = accumulator == instruction.constant
      pc += Int(taken ? instruction.jumpIfTrue : instruction.jumpIfFalse)
    case BPFInstruction.jumpIfAnySet:
      let taken = accumulator & instruction.constant != 0
      pc += Int(taken ? instruction.jumpIfTrue : instruction.jumpIfFalse)
    case BPFInstruction.returnConstant:
      return instruction.constant
    default:
      return 0
    }
  }
  return 0
}

/// An Ethernet frame to `destination` from 02:00:c6:12:00:02, IPv4, with a few payload bytes.
private func frame(to destination: [UInt8]) -> [UInt8] {
  destination + [0x02, 0x00, 0xC6, 0x12, 0x00, 0x02, 0x08, 0x00]
    + [UInt8](repeating: 0x45, count: 46)
}

@Suite struct DestinationFilterTests {
  let ours: [UInt8] = [0x02, 0x00, 0xC6, 0x12, 0x07, 0x0C]

  @Test func acceptsOurAddressBroadcastAndMulticast() throws {
    let program = try DestinationFilter.program(accepting: ours)
    #expect(run(program, on: frame(to: ours)) == .max)
    #expect(run(program, on: frame(to: [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF])) == .max)
    #expect(run(program, on: frame(to: [0x01, 0x00, 0x5E, 0x00, 0x00, 0x01])) == .max)
    #expect(run(program, on: frame(to: [0x33, 0x33, 0x00, 0x00, 0x00, 0x01])) == .max)
  }

  @Test func dropsOtherUnicastAddresses() throws {
    let program = try DestinationFilter.program(accepting: ours)
    // Differs in the first two bytes only, in the last four only, and in one bit.
    #expect(run(program, on: frame(to: [0x06, 0x00, 0xC6, 0x12, 0x07, 0x0C])) == 0)
    #expect(run(program, on: frame(to: [0x02, 0x00, 0xC6, 0x12, 0x07, 0x0D])) == 0)
    #expect(run(program, on: frame(to: [0x02, 0x01, 0xC6, 0x12, 0x07, 0x0C])) == 0)
    #expect(run(program, on: frame(to: [0x02, 0x00, 0x00, 0x00, 0x00, 0x00])) == 0)
  }

  @Test func dropsFramesTooShortForADestination() throws {
    let program = try DestinationFilter.program(accepting: ours)
    #expect(run(program, on: []) == 0)
    #expect(run(program, on: Array(ours.prefix(5))) == 0)
    #expect(run(program, on: ours) == .max)
  }

  @Test func programHasTheDocumentedInstructions() throws {
    let program = try DestinationFilter.program(accepting: ours)
    #expect(
      program.map(\.description) == [
        "{ 0x30, 0, 0, 0x00000000 }", "{ 0x45, 4, 0, 0x00000001 }",
        "{ 0x20, 0, 0, 0x00000002 }", "{ 0x15, 0, 3, 0xc612070c }",
        "{ 0x28, 0, 0, 0x00000000 }", "{ 0x15, 0, 1, 0x00000200 }",
        "{ 0x6, 0, 0, 0xffffffff }", "{ 0x6, 0, 0, 0x00000000 }",
      ])
  }

  @Test func rejectsAddressesThatAreNotSixBytesOfUnicast() {
    for address: [UInt8] in [[], [2, 0, 0, 0, 0], [2, 0, 0, 0, 0, 0, 0], [1, 0, 0, 0, 0, 1]] {
      #expect {
        try DestinationFilter.program(accepting: address)
      } throws: { error in
        (error as? DeviceError)?.errno == 22
      }
    }
  }
}
