import Foundation
import SSHClient
import SystemSupport

extension NodeCycle {
    /// Records the boot id, reboots, and waits until SSH comes back with a different boot id (SPEC §5 step 6).
    ///
    /// After a crash of the controller the reboot is issued again only when the node proves that the first one did
    /// not happen: the same boot id, and no reboot mark in `/run` (written in the same command line as the reboot,
    /// and gone after every boot) — so a host that is still shutting down slowly is never rebooted twice.
    func reboot(_ budget: Budget) async throws(StepFailure) -> StepResult {
        let before: String
        var alreadyIssued = false
        if let recordedBootID = recorded["boot_id_before"]?.stringValue {
            before = recordedBootID
            if let now = try? await currentBootID(reconnectWithin: min(budget.remaining, .seconds(30))) {
                if now != before {
                    return StepResult(facts: ["boot_id_before": .string(before), "boot_id_after": .string(now),
                                              "verified_on_resume": true])
                }
                alreadyIssued = (try? await access.run(lines.rebootMarkerProbe, step: .reboot,
                                                       timeout: commandTimeout, purpose: "reboot: already issued?"))?
                    .succeeded ?? false
            }
        } else {
            before = try await currentBootID(reconnectWithin: nil)
            try record(.reboot, ["boot_id_before": .string(before)])
        }
        if alreadyIssued {
            access.log?.note("reboot: the mark \(NodeCommandLines.rebootMarker) shows that the reboot was issued in "
                + "this boot; waiting for it instead of rebooting again")
        } else {
            try await issueReboot()
        }
        await access.shell.disconnect()
        do {
            try await waitForNewBoot(after: before, budget: budget)
        } catch where alreadyIssued && error.kind == .timedOut {
            var failure = error
            failure.hint = "the reboot was issued before the controller stopped (the mark "
                + "\(NodeCommandLines.rebootMarker) is still there), but \(name) never went down. Reboot it by hand, "
                + "or remove the mark to let asroll reboot it, then `asroll resume`"
            throw failure
        }
        let after = try await currentBootID(reconnectWithin: budget.remaining)
        return StepResult(facts: ["boot_id_before": .string(before), "boot_id_after": .string(after)])
    }

    /// Polls until SSH answers with a boot id other than `before`.
    private func waitForNewBoot(after before: String, budget: Budget) async throws(StepFailure) {
        var last = "no answer yet"
        try await poll("\(name) to come back with a new boot id", step: .reboot, budget: budget) {
            () async throws(StepFailure) -> (done: Bool, status: String) in
            switch await attempt({ () async throws(StepFailure) -> String in
                try await currentBootID(reconnectWithin: min(budget.remaining, pollInterval * 5))
            }) {
            case .success(let now) where now != before:
                return (true, "boot id \(now)")
            case .success:
                // Still the old boot: the host has not gone down yet. Let go of the session it is about to drop.
                await access.shell.disconnect()
                last = "still the old boot id \(before)"
            case .failure(let failure):
                last = failure.message
            }
            return (false, last)
        }
    }

    /// Sends the marked reboot; the host going down while the command returns is the expected way for it to end.
    private func issueReboot() async throws(StepFailure) {
        do {
            let result = try await access.shell.run(lines.markedReboot, timeout: commandTimeout, onOutput: nil)
            access.log?.note("reboot: `\(lines.markedReboot)` exited \(result.exitStatus)")
            guard result.succeeded else {
                throw StepFailure(node: name, step: .reboot, kind: .commandFailed,
                                  message: "the reboot command exited with status \(result.exitStatus)",
                                  command: lines.markedReboot, exitStatus: result.exitStatus,
                                  outputTail: StepFailure.tail(stdout: result.stdout, stderr: result.stderr),
                                  hint: "check sudo rights for the reboot command on \(name), then `asroll resume`")
            }
        } catch let failure as StepFailure {
            throw failure
        } catch {
            access.log?.note("reboot: the connection ended as the host went down (\(error))")
        }
    }

    /// The node's boot id, reconnecting first (with backoff, within `reconnectWithin`) when asked.
    private func currentBootID(reconnectWithin: Duration?) async throws(StepFailure) -> String {
        if let reconnectWithin {
            do {
                try await access.shell.reconnect(until: .after(reconnectWithin))
            } catch let error as SSHError where !error.isRetryable {
                throw StepFailure(node: name, step: .reboot, kind: .unreachable, message: error.message,
                                  hint: "fix SSH access to \(name) (the host key changed after the reboot?), then "
                                      + "`asroll resume`")
            } catch {
                throw StepFailure(node: name, step: .reboot, kind: .unreachable, message: "\(error)",
                                  hint: "\(name) is not reachable over SSH")
            }
        }
        let result = try await access.runChecked(lines.bootID, step: .reboot, timeout: commandTimeout,
                                                 purpose: "reboot: boot id")
        let id = result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !id.isEmpty else {
            throw StepFailure(node: name, step: .reboot, kind: .verificationFailed,
                              message: "`\(lines.bootID)` printed nothing", command: lines.bootID,
                              hint: "set `commands.boot_id` in the playbook to a command that prints the boot id")
        }
        return id
    }
}

/// The outcome of `body` as a value, for code that decides what to do with a failure instead of passing it on.
func attempt<T>(_ body: () async throws(StepFailure) -> T) async -> Result<T, StepFailure> {
    do {
        return .success(try await body())
    } catch {
        return .failure(error)
    }
}
