import ArgumentParser

/// The `usnet` command: the root of the subcommands.
public struct UsnetCommand: ParsableCommand {
  /// Names the command and lists its subcommands.
  public static let configuration = CommandConfiguration(
    commandName: "usnet",
    abstract: "The usnet userspace TCP/IP stack's command-line tool.",
    subcommands: [
      SimCommand.self, SimTableCommand.self, SimFlowsCommand.self, DemoCommand.self,
      BridgeCompareCommand.self,
      ServeCommand.self,
      PingCommand.self, CheckConfigCommand.self,
    ])

  /// The root command (it only dispatches).
  public init() {}
}
