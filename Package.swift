// swift-tools-version: 6.2
import PackageDescription

/// Settings for the memory-safe core modules: strict memory safety on, and
/// every diagnostic it produces (and every other warning) is an error.
let safeCoreSettings: [SwiftSetting] = [
  .strictMemorySafety(),
  .treatWarning("StrictMemorySafety", as: .error),
  .treatAllWarnings(as: .error),
]

/// Settings for the other targets: zero warnings.
let strictSettings: [SwiftSetting] = [
  .treatAllWarnings(as: .error)
]

let package = Package(
  name: "usnet",
  platforms: [.macOS(.v15)],
  products: [
    .library(name: "UsnetWire", targets: ["UsnetWire"]),
    .library(name: "UsnetStack", targets: ["UsnetStack"]),
    .library(name: "UsnetSim", targets: ["UsnetSim"]),
    .library(name: "UsnetPcap", targets: ["UsnetPcap"]),
  ],
  traits: [
    .trait(
      name: "Multi",
      description: "Userspace backend with an engine thread per interface (the default)."
    ),
    .trait(
      name: "Single",
      description: "Userspace backend without an engine thread: the stack advances inside socket calls."
    ),
    .trait(
      name: "Host",
      description: "Kernel sockets behind the same API. Takes precedence over Single and Multi."
    ),
    .default(enabledTraits: ["Multi"]),
  ],
  targets: [
    .target(name: "UsnetWire", swiftSettings: safeCoreSettings),
    .target(name: "UsnetStack", dependencies: ["UsnetWire"], swiftSettings: safeCoreSettings),
    .target(name: "UsnetSim", dependencies: ["UsnetStack", "UsnetWire"], swiftSettings: safeCoreSettings),
    .target(name: "CAllocationCounter", path: "Tests/Perf/CAllocationCounter"),
    .systemLibrary(name: "CPcap", pkgConfig: "libpcap", providers: [.apt(["libpcap-dev"])]),
    .target(name: "UsnetPcap", dependencies: ["CPcap"], swiftSettings: strictSettings),
    .executableTarget(
      name: "usnet-bench",
      dependencies: ["UsnetSim", "UsnetStack", "UsnetWire", "CAllocationCounter"],
      path: "Tests/Perf/UsnetBench",
      swiftSettings: strictSettings
    ),
    .testTarget(name: "UsnetWireTests", dependencies: ["UsnetWire"], swiftSettings: strictSettings),
    .testTarget(
      name: "UsnetStackTests",
      dependencies: ["UsnetStack", "UsnetWire", "UsnetSim"],
      swiftSettings: strictSettings
    ),
    .testTarget(name: "UsnetPcapTests", dependencies: ["UsnetPcap"], swiftSettings: strictSettings),
  ]
)
