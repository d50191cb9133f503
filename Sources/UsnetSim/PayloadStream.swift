import UsnetStack

/// Deterministic payload bytes produced in chunks as a sender takes them, so a long transfer
/// needs no buffer of its full size.
///
/// The bytes are those of a ``PayloadPattern`` with the same seed. A plain value; not
/// thread-safe.
struct PayloadStream {
  let total: Int
  private var pattern: PayloadPattern
  private var chunk = [UInt8](repeating: 0, count: 65536)
  private var chunkLength = 0
  private var chunkOffset = 0
  private(set) var generated = 0

  init(total: Int, seed: UInt64) {
    self.total = Swift.max(total, 0)
    pattern = PayloadPattern(seed: seed)
  }

  /// Hands as much as the connection takes, adding each new chunk to `hash`; returns whether
  /// it took anything.
  mutating func feed(
    _ stack: NetworkStack, _ id: TCPSocketID, at now: Instant, hash: inout SHA256
  ) throws(StackError) -> Bool {
    if chunkOffset == chunkLength {
      guard generated < total else { return false }
      refill()
      hash.update(chunk, range: 0..<chunkLength)
    }
    return try offer(stack, id, at: now)
  }

  /// Hands as much as the connection takes, without hashing (the receiver checks the bytes
  /// against a ``PayloadPattern``); returns whether it took anything.
  mutating func feed(
    _ stack: NetworkStack, _ id: TCPSocketID, at now: Instant
  ) throws(StackError) -> Bool {
    if chunkOffset == chunkLength {
      guard generated < total else { return false }
      refill()
    }
    return try offer(stack, id, at: now)
  }

  private mutating func offer(
    _ stack: NetworkStack, _ id: TCPSocketID, at now: Instant
  ) throws(StackError) -> Bool {
    let taken = try stack.send(id, chunk, range: chunkOffset..<chunkLength, at: now)
    chunkOffset += taken
    return taken > 0
  }

  private mutating func refill() {
    chunkLength = Swift.min(chunk.count, total - generated)
    pattern.fill(&chunk, range: 0..<chunkLength)
    chunkOffset = 0
    generated += chunkLength
  }
}
