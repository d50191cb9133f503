import Foundation
import UsnetDevice
import UsnetWire

#if canImport(Glibc)
  import Glibc
#endif

/// The kernel side of `usnet bridge-compare`: two network namespaces of their own, `A` and
/// `B` (``DemoNamespace``, named `usnet-bcmp-<pid>-<n>`), each holding a TAP that this
/// process opened and moved in, so that the fds it keeps are the TAPs' far ends for the
/// switch's bridge ports.
///
/// Addresses come from 198.18.20.0/24 and exist only inside the namespaces and the switch:
/// kernel A is ``kernelAddressA``, kernel B ``kernelAddressB``, the usnet stack
/// ``stackAddress``. IPv6 is off in both namespaces. The TAPs have no virtio-net header, so
/// the kernel segments and checksums every frame before the bridge reads it; their TX
/// offloads are turned off with `ethtool` as well, when it is installed (``offloadNotes``
/// says what they are).
///
/// ``close()`` closes the TAPs and deletes the namespaces; it is idempotent and also runs
/// on deinit. **Threading:** use from one thread. **Blocking:** creating and ``close()`` run
/// `ip` and `ethtool`.
public final class BridgeLab {
  /// Why the lab could not be built.
  public struct Failure: Error, CustomStringConvertible {
    /// What went wrong, in words.
    public var description: String
  }

  /// Kernel A's address: the kernel behind the impaired port.
  public static let kernelAddressA = IPv4Address(198, 18, 20, 2)
  /// Kernel B's address, on a clean port.
  public static let kernelAddressB = IPv4Address(198, 18, 20, 3)
  /// The usnet stack's address, on a clean port.
  public static let stackAddress = IPv4Address(198, 18, 20, 1)
  /// The usnet stack's MAC address.
  public static let stackMAC = MACAddress(0x02, 0x00, 0xc6, 0x12, 0x14, 0x01)

  /// Namespace A.
  public let namespaceA: DemoNamespace
  /// Namespace B.
  public let namespaceB: DemoNamespace
  /// The TAP whose kernel side is in namespace A.
  public let tapA: TAPDevice
  /// The TAP whose kernel side is in namespace B.
  public let tapB: TAPDevice
  /// The python3 that runs the kernel-side peers.
  public let python: String
  /// What `ethtool -k` says about each TAP's offloads after they were turned off.
  public private(set) var offloadNotes: [String] = []
  private var closed = false

  /// Builds the namespaces and the TAPs.
  ///
  /// - Throws: ``Failure`` without root, without `ip` or python3, or with what failed.
  public init() throws(Failure) {
    guard geteuid() == 0 else {
      throw Failure(
        description: "network namespaces and TAPs need root (CAP_SYS_ADMIN and CAP_NET_ADMIN);"
          + " run it with sudo")
    }
    guard let ip = ProgramRun.find("ip") else {
      throw Failure(description: "ip (iproute2) is not installed: it makes the namespaces")
    }
    let system = "/usr/bin/python3"
    guard
      let python = FileManager.default.isExecutableFile(atPath: system)
        ? system : ProgramRun.find("python3")
    else {
      throw Failure(description: "python3 is not installed: it runs the kernel-side peers")
    }
    self.python = python
    do {
      namespaceA = try DemoNamespace(ip: ip, prefix: "usnet-bcmp")
    } catch {
      throw Failure(description: error.description)
    }
    do {
      namespaceB = try DemoNamespace(ip: ip, prefix: "usnet-bcmp")
    } catch {
      namespaceA.delete()
      throw Failure(description: error.description)
    }
    let tag = String(getpid(), radix: 16)
    var devices: [TAPDevice] = []
    do {
      for name in ["ubca" + tag, "ubcb" + tag] {
        devices.append(try TAPDevice.open(name: name))
      }
    } catch {
      for device in devices { try? device.close() }
      namespaceA.delete()
      namespaceB.delete()
      throw Failure(description: "cannot open a TAP: \(error)")
    }
    tapA = devices[0]
    tapB = devices[1]
    do {
      try configure(tapA, in: namespaceA, address: Self.kernelAddressA, host: 2, ip: ip)
      try configure(tapB, in: namespaceB, address: Self.kernelAddressB, host: 3, ip: ip)
    } catch {
      close()
      throw error
    }
  }

  deinit { close() }

  /// Closes the TAPs and deletes the namespaces (ending the programs still running in
  /// them). Idempotent.
  public func close() {
    guard !closed else { return }
    closed = true
    try? tapA.close()
    try? tapB.close()
    namespaceA.delete()
    namespaceB.delete()
  }

  /// Moves `device` into `namespace`, gives it a MAC and `address`/24, turns IPv6 and the TX
  /// offloads off and brings it and loopback up.
  private func configure(
    _ device: TAPDevice, in namespace: DemoNamespace, address: IPv4Address, host: UInt8,
    ip: String
  ) throws(Failure) {
    let name = device.name
    let mac = MACAddress(0x02, 0x00, 0xc6, 0x12, 0x14, host)
    try run(ip, ["link", "set", name, "netns", namespace.name])
    let steps: [[String]] = [
      ["sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1"],
      ["sysctl", "-qw", "net.ipv6.conf.default.disable_ipv6=1"],
      ["ip", "link", "set", "lo", "up"],
      ["ip", "link", "set", name, "address", "\(mac)"],
      ["ip", "addr", "add", "\(address)/24", "dev", name],
    ]
    for step in steps { try runInside(namespace, step) }
    if ProgramRun.find("ethtool") != nil {
      // A TAP without a virtio-net header offers no TSO or checksum offload anyway; this
      // makes it explicit, and what cannot change ("[fixed]") is reported, not fatal.
      _ = try? namespace.run(
        ["ethtool", "-K", name, "tx", "off", "tso", "off", "gso", "off", "gro", "off"])
      if let shown = try? namespace.run(["ethtool", "-k", name]), shown.succeeded {
        let wanted = [
          "tx-checksumming", "tcp-segmentation-offload", "generic-segmentation-offload",
        ]
        let lines = shown.standardOutput.split(separator: "\n").map {
          $0.trimmingCharacters(in: .whitespaces)
        }
        let picked = lines.filter { line in wanted.contains { line.hasPrefix($0 + ":") } }
        offloadNotes.append("\(name): " + picked.joined(separator: ", "))
      }
    } else {
      offloadNotes.append("\(name): ethtool not installed; offloads left as the TAP has them")
    }
    try runInside(namespace, ["ip", "link", "set", name, "up"])
  }

  private func run(_ program: String, _ arguments: [String]) throws(Failure) {
    let outcome: ProgramRun
    do {
      outcome = try ProgramRun.run(program, arguments)
    } catch {
      throw Failure(description: "cannot run \(program): \(error)")
    }
    guard outcome.succeeded else {
      throw Failure(
        description: "\(([program] + arguments).joined(separator: " ")): \(outcome.complaint)")
    }
  }

  private func runInside(_ namespace: DemoNamespace, _ command: [String]) throws(Failure) {
    let outcome: ProgramRun
    do {
      outcome = try namespace.run(command)
    } catch {
      throw Failure(description: "cannot run \(command[0]) in \(namespace.name): \(error)")
    }
    guard outcome.succeeded else {
      throw Failure(
        description: "\(command.joined(separator: " ")) in \(namespace.name): "
          + outcome.complaint)
    }
  }
}
