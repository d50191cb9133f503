import ArgumentParser
import Foundation
import UsnetDevice
import UsnetSockets
import UsnetWire

/// `usnet check-config`: validates `USNET_SOCKETS` and the knobs in the environment and
/// prints the configuration with the link facts the kernel reports for it. Opens and creates
/// nothing.
///
/// Exits with status 1 for an invalid configuration or a link that cannot be found.
public struct CheckConfigCommand: ParsableCommand {
  /// The subcommand's name and abstract.
  public static let configuration = CommandConfiguration(
    commandName: "check-config",
    abstract: "Validate USNET_SOCKETS and the knobs, and print the resolved link facts.")

  /// The command.
  public init() {}

  /// Reads the environment, inspects the link and prints the report.
  public func run() throws {
    let configuration: SocketsConfiguration
    do {
      configuration = try SocketsConfiguration(environment: ProcessInfo.processInfo.environment)
    } catch {
      standardError("usnet check-config: \(error)")
      throw ExitCode(1)
    }
    do {
      print(CheckConfigReport.text(configuration, link: try configuration.inspectLink()))
    } catch {
      print(CheckConfigReport.text(configuration, link: nil))
      standardError("usnet check-config: the link: \(error)")
      throw ExitCode(1)
    }
  }
}

/// The text `usnet check-config` prints.
public enum CheckConfigReport {
  /// The configuration in environment form, the device, the link facts (when found) and the
  /// knobs' effect, one item per line.
  public static func text(_ configuration: SocketsConfiguration, link: ConfiguredLink?) -> String {
    var lines = ["configuration: \(configuration)"]
    if let link {
      lines.append("link: \(link.role)")
      if let facts = link.facts {
        let mac = facts.hardwareAddress.map(macText) ?? "none"
        let state = facts.isUp ? (facts.isRunning ? "up, running" : "up") : "down"
        lines.append(
          "  \(facts.name): index \(facts.index), MTU \(facts.mtu), MAC \(mac), \(state)"
            + (facts.kind.map { ", kind \($0)" } ?? ""))
        let stackMTU = facts.mtu - configuration.reduceMTUBy
        lines.append(
          "  stack MTU: \(stackMTU) (link \(facts.mtu) - REDUCE_MTU_BY "
            + "\(configuration.reduceMTUBy))")
      }
      for address in link.kernelAddresses {
        lines.append(
          "  kernel address: \(IPv4Address(rawValue: address.address))/\(address.prefixLength)")
      }
      if let note = link.note { lines.append("  \(note)") }
    }
    lines.append(
      "kernel loopback twin: \(configuration.usesKernelTwin ? "on" : "off"); engine thread CPU: "
        + (configuration.engineThreadCPU.map(String.init) ?? "not pinned"))
    return lines.joined(separator: "\n")
  }

  private static func macText(_ bytes: [UInt8]) -> String {
    bytes.map { byte in
      let text = String(byte, radix: 16)
      return text.count == 1 ? "0" + text : text
    }.joined(separator: ":")
  }
}
