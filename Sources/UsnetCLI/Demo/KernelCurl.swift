import Foundation
import UsnetSim

/// The kernel's `curl` fetching a page inside a ``DemoNamespace``: the client side of
/// `usnet demo --netns`.
public enum KernelCurl {
  /// What curl did: the fetch in ``HTTPFetch`` terms and curl's own timings.
  public struct Outcome: Sendable {
    /// The fetch, with the body hashed from curl's output file.
    public var fetch: HTTPFetch
    /// curl's `time_connect`: from the start to the established connection.
    public var handshake: Duration
    /// curl's `time_total`: from the start to the last byte.
    public var elapsed: Duration
  }

  /// Fetches `url` with curl inside `namespace` (at most `timeLimit`), keeping the head and
  /// the body in files under `directory`. Blocks until curl exits.
  ///
  /// - Throws: a message with curl's complaint when it fails.
  public static func fetch(
    _ url: String, curl: String, in namespace: DemoNamespace, timeLimit: Duration,
    directory: URL
  ) throws(DemoNamespace.Failure) -> Outcome {
    let bodyPath = directory.appendingPathComponent("body").path
    let headPath = directory.appendingPathComponent("head").path
    let (seconds, attoseconds) = timeLimit.components
    let limit = Double(seconds) + Double(attoseconds) / 1e18
    let run: ProgramRun
    do {
      run = try namespace.run([
        curl, "--silent", "--show-error", "--noproxy", "*", "--max-time", String(limit),
        "--http1.0", "--output", bodyPath, "--dump-header", headPath, "--write-out",
        "%{size_request} %{size_header} %{time_connect} %{time_total}", url,
      ])
    } catch {
      throw DemoNamespace.Failure(description: "cannot run curl: \(error)")
    }
    guard run.succeeded else {
      throw DemoNamespace.Failure(description: "curl \(url): \(run.complaint)")
    }
    let fields = run.standardOutput.split(separator: " ").map(String.init)
    guard fields.count == 4, let requestBytes = Int(fields[0]), let headBytes = Int(fields[1]),
      let connect = Double(fields[2]), let total = Double(fields[3])
    else {
      throw DemoNamespace.Failure(
        description: "curl printed \"\(run.standardOutput)\", not its four numbers")
    }
    let head = FileManager.default.contents(atPath: headPath).map { [UInt8]($0) } ?? []
    let body = FileManager.default.contents(atPath: bodyPath).map { [UInt8]($0) } ?? []
    var hash = SHA256()
    hash.update(body)
    return Outcome(
      fetch: HTTPFetch(
        requestBytes: requestBytes, head: HTTPMessage.responseHead(head), headBytes: headBytes,
        bodyBytes: body.count, bodyDigest: hash.hexDigest()),
      handshake: .nanoseconds(Int64(connect * 1e9)), elapsed: .nanoseconds(Int64(total * 1e9)))
  }
}
