import Testing
import UsnetSockets
import UsnetWire

/// The batch that carries received frames and their metadata from a device to the stack.
@Suite struct FrameBatchTests {
  @Test func appendedFramesKeepTheirMetadata() {
    var batch = FrameBatch()
    let partial = VirtioNetHeader(flags: .needsChecksum, checksumStart: 34, checksumOffset: 16)
    batch.append([1, 2, 3])
    batch.append([4, 5], metadata: partial)
    #expect(batch.count == 2)
    #expect(batch.frame(at: 0).buffer == [1, 2, 3])
    #expect(batch.frame(at: 0).range == 0..<3)
    #expect(batch.frame(at: 0).metadata == VirtioNetHeader())
    #expect(batch.frame(at: 1).metadata == partial)
  }

  @Test func filledBuffersAreReusedAfterRemoveAll() {
    var batch = FrameBatch()
    let filled = batch.fillNext(capacity: 100) { buffer in
      #expect(buffer.count >= 100)
      buffer[10] = 7
      return (10..<20, VirtioNetHeader(flags: .dataValid))
    }
    #expect(filled)
    #expect(batch.frame(at: 0).range == 10..<20)
    #expect(batch.frame(at: 0).buffer[10] == 7)
    batch.removeAll()
    #expect(batch.count == 0)
    // Nothing to read: the batch stays empty, and the next fill sees the same buffer.
    #expect(!batch.fillNext(capacity: 100) { _ in nil })
    #expect(batch.count == 0)
    _ = batch.fillNext(capacity: 50) { buffer in
      #expect(buffer[10] == 7)
      return (0..<500, VirtioNetHeader())
    }
    // A range beyond the buffer is clamped to it.
    #expect(batch.frame(at: 0).range == 0..<batch.frame(at: 0).buffer.count)
  }
}
