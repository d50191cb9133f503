/// One classic BPF instruction (`struct sock_filter`): an opcode, two relative jump offsets
/// and a constant. Built in safe Swift as plain data; ``PacketSocket`` hands a program of them
/// to the kernel with `SO_ATTACH_FILTER`.
///
/// Only the few opcodes the socket's filters use have factories. A plain value; `Sendable`.
public struct BPFInstruction: Hashable, Sendable, CustomStringConvertible {
  /// The opcode (`BPF_CLASS | BPF_SIZE | BPF_MODE` or `BPF_CLASS | BPF_OP | BPF_SRC`).
  public var code: UInt16
  /// Instructions to skip when a conditional jump's condition holds.
  public var jumpIfTrue: UInt8
  /// Instructions to skip when it does not.
  public var jumpIfFalse: UInt8
  /// The constant operand (`k`): an offset, a value to compare, a return value.
  public var constant: UInt32

  /// Creates an instruction from its four fields.
  public init(code: UInt16, jumpIfTrue: UInt8 = 0, jumpIfFalse: UInt8 = 0, constant: UInt32) {
    self.code = code
    self.jumpIfTrue = jumpIfTrue
    self.jumpIfFalse = jumpIfFalse
    self.constant = constant
  }

  /// `BPF_LD | BPF_W | BPF_ABS`: A = the big-endian 32-bit word at `offset` of the frame.
  public static let loadWord: UInt16 = 0x20
  /// `BPF_LD | BPF_H | BPF_ABS`: A = the big-endian 16-bit halfword at `offset`.
  public static let loadHalfword: UInt16 = 0x28
  /// `BPF_LD | BPF_B | BPF_ABS`: A = the byte at `offset`.
  public static let loadByte: UInt16 = 0x30
  /// `BPF_JMP | BPF_JEQ | BPF_K`: jump on A == k.
  public static let jumpIfEqual: UInt16 = 0x15
  /// `BPF_JMP | BPF_JSET | BPF_K`: jump on A & k != 0.
  public static let jumpIfAnySet: UInt16 = 0x45
  /// `BPF_RET | BPF_K`: accept k bytes of the frame (0 drops it).
  public static let returnConstant: UInt16 = 0x06

  /// Loads `width` bytes (1, 2 or 4; anything else loads a word) at `offset` of the frame into
  /// A; a load past the end of the frame ends the program with 0 (drop).
  public static func load(width: Int, at offset: UInt32) -> BPFInstruction {
    let code =
      switch width {
      case 1: loadByte
      case 2: loadHalfword
      default: loadWord
      }
    return BPFInstruction(code: code, constant: offset)
  }

  /// Compares A with `value`: goes on `ifEqual` instructions later (0: the next one) when
  /// equal, else `ifNotEqual` later.
  public static func jump(
    ifEqualTo value: UInt32, skipping ifEqual: UInt8, else ifNotEqual: UInt8
  ) -> BPFInstruction {
    BPFInstruction(
      code: jumpIfEqual, jumpIfTrue: ifEqual, jumpIfFalse: ifNotEqual, constant: value)
  }

  /// Tests A against the bit mask `bits`: skips `ifSet` instructions when any bit is set,
  /// else `ifClear`.
  public static func jump(
    ifAnySet bits: UInt32, skipping ifSet: UInt8, else ifClear: UInt8
  ) -> BPFInstruction {
    BPFInstruction(code: jumpIfAnySet, jumpIfTrue: ifSet, jumpIfFalse: ifClear, constant: bits)
  }

  /// Ends the program, keeping `length` bytes of the frame (0 drops it, `UInt32.max` keeps
  /// all of it).
  public static func accept(length: UInt32) -> BPFInstruction {
    BPFInstruction(code: returnConstant, constant: length)
  }

  /// `{ 0x30, 0, 0, 0x00000000 }`, as `tcpdump -dd` prints it.
  public var description: String {
    let hex = String(constant, radix: 16)
    let padded = String(repeating: "0", count: 8 - hex.count) + hex
    return "{ 0x\(String(code, radix: 16)), \(jumpIfTrue), \(jumpIfFalse), 0x\(padded) }"
  }
}
