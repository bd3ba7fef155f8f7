import Foundation
import RollingCore
import Testing

/// The one-line facts of `check`, `run` and `--dry-run` show every fact gathered, also when it is fine.
@Suite struct FactsRendererTests {
    @Test func aHealthyNodeShowsReachabilityToolsAndNoLease() {
        var facts = NodeFacts(node: "aero-1")
        facts.sudoWithoutPassword = true
        facts.toolsChecked = true
        facts.leaseChecked = true
        let line = FactsRenderer.line(facts)
        #expect(line.hasPrefix("aero-1: ssh ok;"), "\(line)")
        for fact in ["sudo ok", "tools ok", "no lease"] {
            #expect(line.contains(fact), "\(line)")
        }
    }

    @Test func checksThatDidNotRunAreNotReportedAsFine() {
        var facts = NodeFacts(node: "aero-1")
        facts.sudoWithoutPassword = true
        let line = FactsRenderer.line(facts)
        #expect(!line.contains("tools ok") && !line.contains("no lease"), "\(line)")
    }

    @Test func missingToolsAndAHeldLeaseAreShown() {
        var facts = NodeFacts(node: "aero-2")
        facts.toolsChecked = true
        facts.missingTools = ["asmt"]
        facts.leaseChecked = true
        facts.lease = Lease(cluster: "sim", runID: "r1", holder: "ops@ctl", pid: 42,
                            started: Date(timeIntervalSince1970: 0))
        let line = FactsRenderer.line(facts)
        #expect(line.contains("missing asmt") && !line.contains("tools ok"), "\(line)")
        #expect(line.contains("LEASE ") && !line.contains("no lease"), "\(line)")
    }
}
