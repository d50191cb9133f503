import UsnetDevice

/// The calls all three Host socket types share, with std's argument checks and conversions.
extension HostDescriptor {
  /// Sets SO_RCVTIMEO or SO_SNDTIMEO as Rust's `set_timeout` does: nil clears it; zero (or
  /// negative) is `invalidInput`; below a microsecond rounds up to one; beyond the kernel's
  /// range saturates.
  func setTimeout(
    _ direction: KernelSocket.TimeoutDirection, _ timeout: Duration?
  ) throws(NetError) {
    var microseconds: Int64 = 0
    if let timeout {
      guard timeout > .zero else {
        throw NetError(.invalidInput, message: "cannot set a 0 duration timeout")
      }
      let (seconds, attoseconds) = timeout.components
      let limit = Int64.max / 1_000_000 - 1
      microseconds =
        seconds >= limit
        ? limit * 1_000_000
        : seconds * 1_000_000
          + attoseconds / 1_000_000_000_000
      microseconds = max(microseconds, 1)
    }
    try perform { socket throws(DeviceError) in
      try socket.setTimeout(direction, microseconds: microseconds)
    }
  }

  /// SO_RCVTIMEO or SO_SNDTIMEO; nil when unset.
  func timeout(_ direction: KernelSocket.TimeoutDirection) throws(NetError) -> Duration? {
    let microseconds = try perform { socket throws(DeviceError) in
      try socket.timeout(direction)
    }
    return microseconds == 0 ? nil : .microseconds(microseconds)
  }

  /// Sets an integer option.
  func setOption(_ option: KernelSocket.Option, _ value: Int32) throws(NetError) {
    try perform { socket throws(DeviceError) in try socket.setOption(option, value) }
  }

  /// Reads an integer option.
  func option(_ option: KernelSocket.Option) throws(NetError) -> Int32 {
    try perform { socket throws(DeviceError) in try socket.option(option) }
  }

  /// Sets a boolean option.
  func setFlag(_ option: KernelSocket.Option, _ enabled: Bool) throws(NetError) {
    try setOption(option, enabled ? 1 : 0)
  }

  /// Reads a boolean option.
  func flag(_ option: KernelSocket.Option) throws(NetError) -> Bool {
    try self.option(option) != 0
  }

  /// Sets a `UInt32` option (IP_TTL, IP_MULTICAST_TTL); values above `Int32.max` are
  /// `invalidInput`, others are checked by the kernel.
  func setCount(_ option: KernelSocket.Option, _ value: UInt32) throws(NetError) {
    guard let value = Int32(exactly: value) else {
      throw NetError(.invalidInput, message: "\(value) is out of range")
    }
    try setOption(option, value)
  }

  /// Reads a `UInt32` option.
  func count(_ option: KernelSocket.Option) throws(NetError) -> UInt32 {
    UInt32(truncatingIfNeeded: try self.option(option))
  }

  /// Reads and clears SO_ERROR.
  func takeError() throws(NetError) -> NetError? {
    let number = try option(.error)
    return number == 0 ? nil : NetError(errno: number)
  }

  /// Sets or clears O_NONBLOCK.
  func setNonblocking(_ nonblocking: Bool) throws(NetError) {
    try perform { socket throws(DeviceError) in try socket.setNonblocking(nonblocking) }
  }

  /// getsockname(2).
  var localAddress: SocketAddress {
    get throws(NetError) {
      let address = try perform { socket throws(DeviceError) in try socket.localAddress() }
      return try SocketAddress.from(address, call: "getsockname")
    }
  }

  /// getpeername(2).
  var peerAddress: SocketAddress {
    get throws(NetError) {
      let address = try perform { socket throws(DeviceError) in try socket.peerAddress() }
      return try SocketAddress.from(address, call: "getpeername")
    }
  }

  /// dup: a new descriptor for the same socket.
  func duplicate() throws(NetError) -> KernelSocket {
    try perform { socket throws(DeviceError) in try socket.duplicate() }
  }

  /// Reads into `buffer[range]` (MSG_PEEK with `peek`), checking the range first.
  func receive(
    into buffer: inout [UInt8], range: Range<Int>, peek: Bool
  ) throws(NetError) -> (count: Int, sender: KernelSocketAddress?) {
    guard range.lowerBound >= 0, range.upperBound <= buffer.count else {
      throw NetError(
        .invalidInput, message: "range \(range) outside a buffer of \(buffer.count) bytes")
    }
    return try perform { socket throws(DeviceError) in
      try socket.receive(into: &buffer, range: range, peek: peek)
    }
  }

  /// Sends `bytes[range]` (to `address`, or the connected peer), checking the range first.
  func send(
    _ bytes: [UInt8], range: Range<Int>, to address: KernelSocketAddress?
  ) throws(NetError) -> Int {
    guard range.lowerBound >= 0, range.upperBound <= bytes.count else {
      throw NetError(
        .invalidInput, message: "range \(range) outside a buffer of \(bytes.count) bytes")
    }
    return try perform { socket throws(DeviceError) in
      try socket.send(bytes, range: range, to: address)
    }
  }
}
