extension TCPConnection {
  /// Queues bytes for sending; returns how many fit in the send buffer (0 when it is full).
  func send(_ bytes: [UInt8], range: Range<Int>) throws(StackError) -> Int {
    if let error { throw .connection(error) }
    if finQueued { throw .brokenPipe }
    switch state {
    case .synSent, .synReceived, .established, .closeWait:
      return sendBuffer.append(bytes, range: range)
    case .closed:
      throw .brokenPipe
    default:
      throw .brokenPipe
    }
  }

  /// Copies received bytes into `destination[range]`, consuming them unless `peek` is set.
  /// Returns the count, 0 at the end of the stream, or `nil` when nothing is there yet. A read
  /// feeds receive-buffer autotuning and may announce the opened window.
  func receive(
    into destination: inout [UInt8], range: Range<Int>, peek: Bool,
    _ environment: inout TCPEnvironment
  )
    throws(StackError) -> Int?
  {
    if readShutdown { return 0 }
    if receiveBuffer.count > 0 {
      let count = Swift.min(range.count, receiveBuffer.count)
      if peek {
        receiveBuffer.copy(fromOffset: 0, count: count, into: &destination, at: range.lowerBound)
      } else {
        _ = receiveBuffer.read(
          into: &destination, range: range.lowerBound..<(range.lowerBound + count))
        adjustReceiveSpace(afterReading: count, &environment)
        noteWindowOpened(environment)
      }
      return count
    }
    if let error { throw .connection(error) }
    if finReceived || state == .closed { return 0 }
    return nil
  }

  /// Closes the sending direction: a FIN follows the queued data (RFC 9293 CLOSE in the
  /// synchronized states).
  func shutdownWrite() {
    guard !finQueued else { return }
    switch state {
    case .synSent, .synReceived:
      finQueued = true
    case .established:
      finQueued = true
      state = .finWait1
    case .closeWait:
      finQueued = true
      state = .lastAck
    default:
      break
    }
  }

  /// Closes the receiving direction: buffered and later data is discarded and reads return 0.
  func shutdownRead() {
    readShutdown = true
    receiveBuffer.removeAll()
    reassembly.removeAll()
  }

  /// The application released the connection. Unread data makes it a reset (as Linux does);
  /// otherwise the connection closes gracefully on its own.
  func close(_ environment: TCPEnvironment) {
    applicationClosed = true
    switch state {
    case .closed, .listen, .timeWait:
      return
    case .synSent:
      enterClosed()
      return
    default:
      break
    }
    if receiveBuffer.count > 0 && !readShutdown {
      abort()
      return
    }
    shutdownWrite()
    if state == .finWait2 && finWait2Deadline == nil {
      finWait2Deadline = environment.now + environment.configuration.timeWaitDuration
    }
  }

  /// Resets the connection: a RST goes out if the peer knows of it, and the connection closes
  /// with ``TCPConnectionError/aborted``.
  func abort() {
    switch state {
    case .closed, .listen, .timeWait, .synSent:
      enterClosed(error: state == .closed ? nil : .aborted)
    default:
      resetPending = true
      enterClosed(error: .aborted)
    }
  }
}
