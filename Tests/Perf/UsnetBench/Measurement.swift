import CAllocationCounter
import Foundation

/// CPU time used by the whole process (all threads, user and system), in seconds.
func processCPUSeconds() -> Double {
  var spec = timespec()
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &spec)
  return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
}

/// Monotonic wall-clock time in seconds.
func wallSeconds() -> Double {
  var spec = timespec()
  clock_gettime(CLOCK_MONOTONIC, &spec)
  return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
}

/// One benchmark run's figures.
struct BenchmarkResult {
  var bytes: Int
  var wall: Double
  var cpu: Double
  var segments: Int?
  var allocations: UInt64?

  func line(name: String) -> String {
    let bits = Double(bytes) * 8
    let perWall = bits / wall / 1e9
    let perCore = bits / cpu / 1e9
    let segmentText = segments.map { String($0) } ?? "-"
    let allocationText: String
    if let allocations, let segments, segments > 0 {
      allocationText = String(format: "%.4f", Double(allocations) / Double(segments))
    } else {
      allocationText = "-"
    }
    return name.padding(toLength: 44, withPad: " ", startingAt: 0)
      + String(format: "  %6.2f   %8.2f", perWall, perCore)
      + "  " + segmentText.padding(toLength: 9, withPad: " ", startingAt: 0)
      + " " + allocationText
  }
}
