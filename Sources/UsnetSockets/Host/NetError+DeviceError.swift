import UsnetDevice

extension NetError {
  /// The error of a failed kernel call: the kind Rust gives its errno, the errno, and the
  /// call with the system's text as the message, like `"connect: Connection refused"`.
  init(_ error: DeviceError) {
    let detail = error.detail.map { " [\($0)]" } ?? ""
    self.init(errno: error.errno, message: "\(error.call): \(error.message)\(detail)")
  }
}
