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
    .library(name: "UsnetDevice", targets: ["UsnetDevice"]),
    .library(name: "UsnetSockets", targets: ["UsnetSockets"]),
    .executable(name: "usnet", targets: ["usnet"]),
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
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2")
  ],
  targets: [
    .target(name: "UsnetWire", swiftSettings: safeCoreSettings),
    .target(name: "UsnetStack", dependencies: ["UsnetWire"], swiftSettings: safeCoreSettings),
    .target(
      name: "UsnetSim",
      dependencies: ["UsnetStack", "UsnetWire", "UsnetPcap", "UsnetDevice"],
      swiftSettings: safeCoreSettings
    ),
    .target(
      name: "UsnetSockets",
      dependencies: ["UsnetStack", "UsnetWire", "UsnetSim", "UsnetDevice", "UsnetPcap"],
      swiftSettings: safeCoreSettings
    ),
    .executableTarget(
      name: "echo-server", dependencies: ["UsnetSockets"], path: "Examples/EchoServer",
      swiftSettings: strictSettings
    ),
    .executableTarget(
      name: "echo-client", dependencies: ["UsnetSockets"], path: "Examples/EchoClient",
      swiftSettings: strictSettings
    ),
    .target(name: "CAllocationCounter", path: "Tests/Perf/CAllocationCounter"),
    .systemLibrary(name: "CPcap", pkgConfig: "libpcap", providers: [.apt(["libpcap-dev"])]),
    .target(name: "UsnetPcap", dependencies: ["CPcap"], swiftSettings: strictSettings),
    .target(name: "CUsnetDevice"),
    // Strict memory safety as warnings-as-errors too, so every unsafe site is marked `unsafe`.
    .target(
      name: "UsnetDevice", dependencies: ["CUsnetDevice"],
      swiftSettings: strictSettings + [.strictMemorySafety()]
    ),
    .target(
      name: "UsnetCLI",
      dependencies: [
        "UsnetSim", "UsnetStack", "UsnetPcap", "UsnetSockets", "UsnetDevice", "UsnetWire",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      swiftSettings: strictSettings
    ),
    .executableTarget(name: "usnet", dependencies: ["UsnetCLI"], swiftSettings: strictSettings),
    .executableTarget(
      name: "usnet-bench",
      dependencies: ["UsnetSim", "UsnetStack", "UsnetWire", "CAllocationCounter"],
      path: "Tests/Perf/UsnetBench",
      swiftSettings: strictSettings
    ),
    .testTarget(name: "UsnetWireTests", dependencies: ["UsnetWire"], swiftSettings: strictSettings),
    .testTarget(
      name: "UsnetSimTests",
      dependencies: ["UsnetSim", "UsnetStack", "UsnetWire"],
      swiftSettings: strictSettings
    ),
    .testTarget(
      name: "UsnetStackTests",
      dependencies: ["UsnetStack", "UsnetWire", "UsnetSim"],
      swiftSettings: strictSettings
    ),
    .testTarget(
      name: "UsnetSocketsTests",
      dependencies: [
        "UsnetSockets", "UsnetStack", "UsnetWire", "UsnetSim", "UsnetDevice", "UsnetPcap",
        "UsnetTestSupport",
      ],
      swiftSettings: strictSettings
    ),
    .target(name: "UsnetTestSupport", path: "Tests/Support", swiftSettings: strictSettings),
    .testTarget(
      name: "UsnetPcapTests", dependencies: ["UsnetPcap", "UsnetTestSupport"],
      swiftSettings: strictSettings
    ),
    .testTarget(
      name: "UsnetDeviceTests", dependencies: ["UsnetDevice"], swiftSettings: strictSettings
    ),
    .testTarget(
      name: "UsnetInteropTests",
      dependencies: [
        "UsnetSim", "UsnetStack", "UsnetWire", "UsnetDevice", "UsnetSockets", "UsnetCLI",
      ],
      swiftSettings: strictSettings
    ),
    .testTarget(
      name: "UsnetReplayTests",
      dependencies: ["UsnetStack", "UsnetWire", "UsnetPcap", "UsnetSockets", "UsnetTestSupport"],
      swiftSettings: strictSettings
    ),
    .testTarget(
      name: "UsnetCLITests",
      dependencies: [
        "UsnetCLI", "UsnetSim", "UsnetStack", "UsnetPcap", "UsnetTestSupport", "UsnetSockets",
        "UsnetWire", "UsnetDevice",
      ],
      swiftSettings: strictSettings
    ),
    .testTarget(
      name: "UsnetConformanceTests",
      dependencies: ["UsnetSockets", "UsnetWire", "UsnetStack", "UsnetSim"],
      path: "Tests/Conformance",
      swiftSettings: strictSettings
    ),
  ]
)
