/// What receive-buffer autotuning measures (Linux's `rcvq_space`): how many bytes the
/// application reads per round trip.
struct ReceiveSpaceMeasurement {
  /// The most bytes read in one measured round trip so far (Linux starts it at ten segments).
  var space = 0
  /// Bytes the application has read in all.
  var copied = 0
  /// ``copied`` when the current measurement started.
  var copiedAtStart = 0
  /// When the current measurement started; `nil` before the first read.
  var startedAt: Instant?
}

extension TCPConnection {
  /// Receive-buffer autotuning after the application read `count` bytes (Linux's
  /// `tcp_rcv_space_adjust`, dynamic right-sizing): once a round trip (the smoothed RTT) has
  /// passed since the measurement started, if the application read more in it than in any
  /// round trip before, the buffer grows to twice that plus sixteen segments, more again in
  /// proportion to the increase (a sender in slow start doubles per round trip), at most to
  /// ``receiveBufferLimit``. Allocates only when the buffer grows; the larger window is then
  /// announced by the window update that follows the read.
  func adjustReceiveSpace(afterReading count: Int, _ environment: inout TCPEnvironment) {
    guard var measurement = receiveSpace else { return }
    defer { receiveSpace = measurement }
    let now = environment.now
    let segment = receiveMSS(environment)
    measurement.copied += count
    guard let startedAt = measurement.startedAt else {
      measurement.startedAt = now
      measurement.copiedAtStart = measurement.copied - count
      measurement.space = Swift.min(receiveBuffer.capacity, 10 * segment)
      return
    }
    guard let rtt = rto.smoothedRTT, now - startedAt >= .nanoseconds(rtt) else { return }
    let copied = measurement.copied - measurement.copiedAtStart
    if copied > measurement.space {
      let limit = receiveBufferLimit
      var target = Swift.min(2 * copied + 16 * segment, limit)
      let increase = copied - measurement.space
      target = Swift.min(
        target + 2 * Swift.min(target * increase / measurement.space, limit), limit)
      if target > receiveBuffer.capacity {
        receiveBuffer.grow(to: target)
        environment.counters.tcpReceiveBufferGrowths += 1
      }
      measurement.space = copied
    }
    measurement.copiedAtStart = measurement.copied
    measurement.startedAt = now
  }
}
