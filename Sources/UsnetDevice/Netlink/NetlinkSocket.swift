// Unsafe sites in this file: 2 (4 `unsafe` marks: each hands a buffer pointer to C and needs
// one on the `withUnsafe…BufferPointer` call and one on the C call). Each passes a Swift array
// to C together with its exact length; C keeps no pointer after it returns.
//   1. `send(_:)`: usnet_netlink_send reads `bytes.count` bytes of the encoded request.
//   2. `receiveDatagram()`: usnet_netlink_receive writes at most `buffer.count` bytes into the
//      socket's receive buffer (and reports a longer datagram's length without writing past).
// Everything else calls C functions that take and return integers only. Messages are built and
// parsed in safe Swift (NetlinkMessage, NetlinkAttribute and the header types).

import CUsnetDevice

/// An rtnetlink (`NETLINK_ROUTE`) socket: link, address and route facts from the kernel, and
/// link management, without running `ip`.
///
/// Each call sends one request with a fresh sequence number and reads the kernel's answer
/// (every part of a multi-part dump, up to NLMSG_DONE). An NLMSG_ERROR comes back as a
/// ``DeviceError`` whose call names the request, like `"netlink(RTM_NEWLINK)"`, with the
/// kernel's errno and, in the detail, what was being done and the kernel's own error text
/// when it sends one. A malformed answer is `EBADMSG` with the fault in the detail; nothing
/// from the kernel can crash the caller. A dump the kernel flags as interrupted (the table
/// changed meanwhile) is asked again, up to three times in all.
///
/// **Namespace:** the socket talks to the network namespace of the thread that called
/// ``open()``, for its whole life, whichever thread uses it later (see ``NetworkNamespace``).
/// **Privileges:** queries need none; management needs `CAP_NET_ADMIN` in that namespace
/// (EPERM otherwise).
/// **Blocking:** every query and management call blocks until the kernel has answered, which
/// rtnetlink does synchronously (microseconds to a few milliseconds).
/// **Threading:** not thread-safe and not `Sendable`: sequence numbers and the receive buffer
/// belong to one owner, which provides exclusion; ``close()`` must not race with another call.
///
/// The descriptor is closed by ``close()`` or, failing that, when the socket is deinitialized.
public final class NetlinkSocket {
  /// Whether the socket is still open.
  public var isOpen: Bool { descriptor >= 0 }

  /// The port id the kernel gave the socket (`nl_pid`); its answers are addressed to it.
  public let portID: UInt32

  private var descriptor: Int32
  private var nextSequence: UInt32 = 1
  /// Reused for every datagram; grows when the kernel sends a longer one.
  private var buffer = [UInt8](repeating: 0, count: 32 * 1024)

  private init(descriptor: Int32, portID: UInt32) {
    self.descriptor = descriptor
    self.portID = portID
  }

  deinit {
    if descriptor >= 0 {
      _ = usnet_fd_close(descriptor)
    }
  }

  /// Opens a NETLINK_ROUTE socket in the calling thread's network namespace, close-on-exec,
  /// bound to a port id the kernel picks.
  ///
  /// - Throws: ``DeviceError`` for `socket(AF_NETLINK)` or `bind` (`"socket(NETLINK_ROUTE)"`
  ///   names both), or `getsockname`.
  public static func open() throws(DeviceError) -> NetlinkSocket {
    let opened = usnet_netlink_open()
    guard opened >= 0 else { throw DeviceError(call: "socket(NETLINK_ROUTE)", errno: -opened) }
    let portID = usnet_netlink_port_id(opened)
    guard portID >= 0 else {
      _ = usnet_fd_close(opened)
      throw DeviceError(call: "getsockname", errno: Int32(truncatingIfNeeded: -portID))
    }
    return NetlinkSocket(descriptor: opened, portID: UInt32(truncatingIfNeeded: portID))
  }

  /// Closes the descriptor; later calls throw EBADF. Closing twice does nothing.
  ///
  /// - Throws: ``DeviceError`` for `close` (the descriptor is released anyway).
  public func close() throws(DeviceError) {
    guard descriptor >= 0 else { return }
    let result = usnet_fd_close(descriptor)
    descriptor = -1
    guard result == 0 else { throw DeviceError(call: "close", errno: -result) }
  }

  /// Sends `request` and returns the data messages of the kernel's answer (none for an
  /// acknowledged change). Asks an interrupted dump again, up to three times in all, and
  /// returns the last answer.
  ///
  /// - Throws: ``DeviceError`` from the kernel (its errno), for `sendto` or `recvfrom`, EBADF
  ///   after ``close()``, or EBADMSG for a malformed answer.
  func perform(_ request: NetlinkRequest) throws(DeviceError) -> [NetlinkMessage] {
    var attempt = 1
    while true {
      let transaction = try exchange(request)
      if !transaction.wasInterrupted || attempt == 3 { return transaction.messages }
      attempt += 1
    }
  }

  /// Parses each message with `parse`, reporting a parse error as EBADMSG for `request`.
  func parse<Fact>(
    _ messages: [NetlinkMessage], of request: NetlinkRequest,
    _ parse: (NetlinkMessage) throws(NetlinkParseError) -> Fact
  ) throws(DeviceError) -> [Fact] {
    var facts: [Fact] = []
    for message in messages {
      do {
        facts.append(try parse(message))
      } catch {
        throw request.malformed(error)
      }
    }
    return facts
  }

  /// One request and its whole answer.
  private func exchange(_ request: NetlinkRequest) throws(DeviceError) -> NetlinkTransaction {
    guard descriptor >= 0 else {
      throw DeviceError(
        call: request.call, errno: DeviceError.badDescriptor, detail: "socket closed")
    }
    let sequence = nextSequence
    nextSequence = nextSequence == .max ? 1 : nextSequence + 1
    try send(request.encoded(sequence: sequence))
    var transaction = NetlinkTransaction(request: request, sequence: sequence, portID: portID)
    while !transaction.isComplete {
      try transaction.receive(receiveDatagram())
    }
    return transaction
  }

  private func send(_ bytes: [UInt8]) throws(DeviceError) {
    let descriptor = descriptor
    let count = unsafe bytes.withUnsafeBufferPointer { pointer in
      unsafe usnet_netlink_send(descriptor, pointer.baseAddress, Int64(pointer.count))
    }
    guard count >= 0 else {
      throw DeviceError(call: "sendto(NETLINK_ROUTE)", errno: Int32(truncatingIfNeeded: -count))
    }
  }

  /// The next datagram from the kernel, the buffer grown first when it is longer.
  private func receiveDatagram() throws(DeviceError) -> [UInt8] {
    let descriptor = descriptor
    while true {
      let count = unsafe buffer.withUnsafeMutableBufferPointer { pointer in
        unsafe usnet_netlink_receive(descriptor, pointer.baseAddress, Int64(pointer.count))
      }
      guard count >= 0 else {
        throw DeviceError(
          call: "recvfrom(NETLINK_ROUTE)", errno: Int32(truncatingIfNeeded: -count))
      }
      if count <= Int64(buffer.count) { return Array(buffer[0..<Int(count)]) }
      buffer = [UInt8](repeating: 0, count: Int(count))
    }
  }
}
