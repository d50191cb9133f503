// usnet-bench: moves bytes between two UsnetStack instances over an in-memory link in one
// process and prints payload throughput per CPU core and heap allocations per segment, next to
// the Linux kernel's TCP over loopback measured in the same run.
//
// Run: swift run -c release usnet-bench [--bytes N] [--skip-kernel]
import CAllocationCounter
import Foundation
import UsnetSim
import UsnetStack
import UsnetWire

struct BenchmarkOptions {
  var bytes = 1_000_000_000
  var runKernel = true

  init(arguments: [String]) throws {
    var iterator = arguments.dropFirst().makeIterator()
    while let argument = iterator.next() {
      switch argument {
      case "--bytes":
        guard let text = iterator.next(), let value = Int(text), value > 0 else {
          throw BenchmarkError("--bytes needs a positive integer")
        }
        bytes = value
      case "--skip-kernel":
        runKernel = false
      default:
        throw BenchmarkError("unknown argument \(argument); accepted: --bytes N, --skip-kernel")
      }
    }
  }
}

struct BenchmarkError: Error, CustomStringConvertible {
  let description: String
  init(_ description: String) { self.description = description }
}

let options: BenchmarkOptions
do {
  options = try BenchmarkOptions(arguments: CommandLine.arguments)
} catch {
  print("usnet-bench: \(error)")
  exit(2)
}

print("usnet-bench: \(options.bytes) payload bytes per run, one process, release build")
print(
  "scenario".padding(toLength: 44, withPad: " ", startingAt: 0)
    + "  Gbit/s   Gbit/s/core  segments   allocs/segment")
let scenarios: [StackScenario] = [
  StackScenario(name: "usnet MTU 1500, software checksums", mtu: 1500, checksums: .software),
  StackScenario(name: "usnet MTU 1500, checksums offloaded", mtu: 1500, checksums: .trustedLink),
  StackScenario(name: "usnet MTU 9000, software checksums", mtu: 9000, checksums: .software),
  StackScenario(name: "usnet MTU 65535, checksums offloaded", mtu: 65535, checksums: .trustedLink),
]
for scenario in scenarios {
  do {
    let result = try scenario.run(bytes: options.bytes)
    print(result.line(name: scenario.name))
  } catch {
    print("\(scenario.name): failed: \(error)")
    exit(1)
  }
}
if options.runKernel {
  do {
    let result = try KernelLoopback.run(bytes: options.bytes)
    print(result.line(name: "Linux kernel TCP over loopback (2 threads)"))
  } catch {
    print("kernel loopback: failed: \(error)")
    exit(1)
  }
}
