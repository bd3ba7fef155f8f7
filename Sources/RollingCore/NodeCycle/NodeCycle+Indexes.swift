import Foundation
import SSHClient
import SystemSupport

extension NodeCycle {
    /// Empties the backup directory of stale files, then `analyze_backup` and `backup`; verified by exit 0 and a
    /// `Successfully backed up` line for every namespace (SPEC §5 step 4).
    func backup(_ budget: Budget) async throws(StepFailure) -> StepResult {
        if try await isRunning(step: .backup) {
            throw StepFailure(node: name, step: .backup, kind: .unsafe,
                              message: "asd is running: its segments are attached and asmt cannot back them up",
                              hint: "something started asd after the stop; stop it cleanly, then `asroll resume`")
        }
        // A half-written backup (a crash, a failed asmt) would make asmt refuse to write over it.
        try await access.runChecked(lines.removeBackup, step: .backup, timeout: commandTimeout,
                                    purpose: "backup: empty the backup directory of stale files")
        let hint = "asd is stopped on \(name) and the host was not rebooted: its indexes are still in shared memory. "
            + "Fix the cause (disk space? permissions? see the output), then `asroll resume` to take the backup again"
        try await access.runChecked(lines.analyzeBackup, step: .backup, timeout: commandTimeout,
                                    purpose: "backup: asmt dry run", hint: hint)
        let result = try await access.run(lines.backup, step: .backup, timeout: budget.remaining, purpose: "backup")
        let report = AsmtReport(output: result.stdout + "\n" + result.stderr, operation: .backup)
        guard result.succeeded, report.coversAll(namespaces) else {
            throw asmtFailure(step: .backup, command: lines.backup, result: result, report: report, hint: hint)
        }
        let files = try await access.runChecked(lines.listBackup, step: .backup, timeout: commandTimeout,
                                                purpose: "backup: list the files written")
        return StepResult(facts: ["files": .strings(files.stdout.split(separator: "\n").map(String.init))])
    }

    /// Deletes every backup file of the node before the reboot, so that its suspect segments can never be restored.
    func discardBackup(_ budget: Budget) async throws(StepFailure) -> StepResult {
        try await access.runChecked(lines.removeBackup, step: .discardBackup, timeout: budget.remaining,
                                    purpose: "discard stale backup files")
        let left = try await access.runChecked(lines.listBackup, step: .discardBackup, timeout: commandTimeout,
                                               purpose: "discard: verify none is left")
        guard left.stdout.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw StepFailure(node: name, step: .discardBackup, kind: .verificationFailed,
                              message: "backup files are still present after deleting them", command: lines.removeBackup,
                              outputTail: left.stdout, hint: "delete them by hand on \(name), then `asroll resume`")
        }
        return StepResult()
    }

    /// The playbook's maintenance commands in order, within the step's budget.
    func maintenance(_ budget: Budget) async throws(StepFailure) -> StepResult {
        for (index, command) in lines.maintenance.enumerated() {
            try await access.runChecked(
                command, step: .maintenance, timeout: budget.remaining,
                purpose: "maintenance \(index + 1)/\(lines.maintenance.count)",
                hint: "asd is stopped on \(name) (its indexes are saved). Fix the problem, then `asroll resume`: the "
                    + "maintenance commands run again from the first, so they must be safe to repeat")
        }
        return StepResult(facts: ["commands": .int(lines.maintenance.count)])
    }

    /// Checks that asd is not running and that no Aerospike segment exists, then `analyze_restore` and `restore`;
    /// verified by exit 0 and `Successfully restored` for every namespace (SPEC §5 step 7).
    func restore(_ budget: Budget) async throws(StepFailure) -> StepResult {
        if try await isRunning(step: .restore) {
            throw StepFailure(
                node: name, step: .restore, kind: .unsafe,
                message: "asd is already running: it started before the restore (autostart at boot?) and built fresh "
                    + "segments, so the backup can no longer be restored",
                hint: "the node is cold starting or up; let it finish, check the cluster, then `asroll abandon`; "
                    + "its backup files are kept in the backup directory")
        }
        var segments = try await aerospikeSegments(step: .restore)
        if !segments.isEmpty && retrying == .restore {
            // The previous controller died during the restore: whatever asmt created is incomplete. The backup
            // files are untouched, so remove the segments and restore again.
            for segment in segments {
                try await access.runChecked(lines.removeSegment(key: segment.key), step: .restore,
                                            timeout: commandTimeout, purpose: "restore: remove a partial segment")
            }
            segments = try await aerospikeSegments(step: .restore)
        }
        guard segments.isEmpty else {
            throw StepFailure(
                node: name, step: .restore, kind: .unsafe,
                message: "Aerospike segments already exist (\(segments.map(\.key).joined(separator: ", "))): asmt "
                    + "would refuse to restore over them",
                command: lines.listSegments,
                hint: "find out what created them (did asd start and stop again?); if they are not needed, remove "
                    + "them with ipcrm, then `asroll resume`")
        }
        let hint = "asd is stopped on \(name) and its backup files are kept. Fix the cause, then `asroll resume` to "
            + "restore again"
        try await access.runChecked(lines.analyzeRestore, step: .restore, timeout: commandTimeout,
                                    purpose: "restore: asmt dry run", hint: hint)
        let result = try await access.run(lines.restore, step: .restore, timeout: budget.remaining, purpose: "restore")
        let report = AsmtReport(output: result.stdout + "\n" + result.stderr, operation: .restore)
        guard result.succeeded, report.coversAll(namespaces) else {
            throw asmtFailure(step: .restore, command: lines.restore, result: result, report: report, hint: hint)
        }
        return StepResult()
    }

    /// Removes the node's Aerospike segments so that it really cold starts (cold path without a reboot).
    func removeSegments(_ budget: Budget) async throws(StepFailure) -> StepResult {
        let segments = try await aerospikeSegments(step: .removeSegments)
        for segment in segments {
            try await access.runChecked(lines.removeSegment(key: segment.key), step: .removeSegments,
                                        timeout: budget.remaining, purpose: "remove segment \(segment.key)")
        }
        let left = try await aerospikeSegments(step: .removeSegments)
        guard left.isEmpty else {
            throw StepFailure(node: name, step: .removeSegments, kind: .verificationFailed,
                              message: "segments still present: \(left.map(\.key).joined(separator: ", "))",
                              hint: "remove them by hand with ipcrm on \(name), then `asroll resume`")
        }
        return StepResult(facts: ["removed": .strings(segments.map(\.key))])
    }

    private func asmtFailure(step: StepKind, command: String, result: CommandResult, report: AsmtReport,
                             hint: String) -> StepFailure
    {
        let message: String
        if !result.succeeded {
            message = "asmt exited with status \(result.exitStatus)"
        } else if !report.namespacesWithNothing.isEmpty {
            message = "asmt exited 0 but found nothing for namespace(s) "
                + "\(report.namespacesWithNothing.joined(separator: ", ")) (asmt exits 0 even when it copied nothing)"
        } else {
            message = "asmt exited 0 but printed \(report.successLines.count) success line(s) for "
                + "\(namespaces.count) namespace(s)"
        }
        return StepFailure(node: name, step: step, kind: result.succeeded ? .verificationFailed : .commandFailed,
                           message: message, command: command, exitStatus: result.exitStatus,
                           outputTail: StepFailure.tail(stdout: result.stdout, stderr: result.stderr), hint: hint)
    }
}
