import UsnetStack

/// A named set of TCP loss-handling features, for comparing them on and off in
/// `usnet sim-table --features`.
public struct TCPFeatureVariant: Sendable {
  /// The column heading.
  public var name: String
  /// What the variant changes in both stacks' TCP configuration.
  public var apply: @Sendable (inout TCPConfiguration) -> Void

  /// Creates a variant.
  public init(name: String, apply: @escaping @Sendable (inout TCPConfiguration) -> Void) {
    self.name = name
    self.apply = apply
  }

  /// The defaults and, one at a time, each feature off, then all of them off together.
  public static let comparison: [TCPFeatureVariant] = [
    TCPFeatureVariant(name: "all on (default)") { _ in },
    TCPFeatureVariant(name: "no RACK-TLP") { $0.rackTLP = false },
    TCPFeatureVariant(name: "no SACK (NewReno)") { $0.selectiveAcknowledgments = false },
    TCPFeatureVariant(name: "no timestamps") { $0.timestamps = false },
    TCPFeatureVariant(name: "Reno, not CUBIC") { $0.congestionControl = .reno },
    TCPFeatureVariant(name: "all off") {
      $0.rackTLP = false
      $0.selectiveAcknowledgments = false
      $0.timestamps = false
      $0.congestionControl = .reno
    },
  ]
}
