import Foundation
import Testing

extension InteropTests {
  /// `ci/netns-lab.sh` itself: `up` builds both namespaces with every device, refuses a tag in
  /// use without touching its lab, `down` removes everything, and `run` tears the lab down even
  /// when its command fails. Root only; skipped with the reason otherwise.
  @Suite
  struct NetnsLabScriptTests {
    @Test(.timeLimit(.minutes(1)))
    func upBuildsTheLabAndDownRemovesIt() throws {
      let lab = try InteropLab()
      defer { lab.destroy() }
      let links = try lab.usnetSide.exec(["ip", "-o", "link", "show"])
      for name in ["utap0", "ubr0", "va-tap", "va-mvt", "va-pt", "va-raw"] {
        #expect(links.contains(" \(name):") || links.contains(" \(name)@"), "no \(name): \(links)")
      }
      let addresses = try lab.kernelSide.exec(["ip", "-o", "-4", "addr", "show", "dev", "kbr0"])
      #expect(addresses.contains("198.18.0.2/24"))
      // The kernel on the usnet side keeps out of the AF_PACKET identity (lab note G9).
      #expect(throws: CommandError.self) {
        try lab.kernelSide.exec(["ping", "-c", "1", "-W", "1", "198.18.0.12"])
      }

      let tag = String(lab.usnetSide.name.dropFirst("usnet-a-".count))
      #expect(throws: CommandError.self) { try NamespaceLab.run([InteropLab.script, "up", tag]) }
      #expect(Self.namespaces().contains(lab.usnetSide.name), "a refused up removed the lab")

      lab.destroy()
      #expect(!Self.namespaces().contains(lab.usnetSide.name))
      #expect(!Self.namespaces().contains(lab.kernelSide.name))
    }

    @Test(.timeLimit(.minutes(1)))
    func runTearsDownAfterAFailingCommand() throws {
      let tag = "r" + String(UInt32.random(in: 0...UInt32.max), radix: 36)
      let error = try #require(throws: CommandError.self) {
        try NamespaceLab.run([
          InteropLab.script, "run", tag, "bash", "-c",
          "ip netns list | grep -q \"$LAB_A\" && ip netns list | grep -q \"$LAB_B\" && exit 3",
        ])
      }
      #expect(error.status == 3, "the command did not see the lab: \(error)")
      #expect(!Self.namespaces().contains("usnet-a-\(tag)"))
      #expect(!Self.namespaces().contains("usnet-b-\(tag)"))
    }

    /// `ip netns list`.
    private static func namespaces() -> String {
      (try? NamespaceLab.run(["ip", "netns", "list"])) ?? ""
    }
  }
}
