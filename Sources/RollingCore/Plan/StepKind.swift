/// The steps of a node's cycle, in the order they run (SPEC §5).
public enum StepKind: String, Sendable, Codable, CaseIterable {
    /// Quiesce the node so clients move away before it stops.
    case quiesce
    /// Keep asd from starting at boot before the restore.
    case disableAutostart = "disable_autostart"
    /// Stop asd cleanly and verify the clean shutdown.
    case stop
    /// Take the asmt backup of the shared-memory indexes (warm path).
    case backup
    /// Delete stale backup files so suspect segments can never be restored (cold path).
    case discardBackup = "discard_backup"
    /// The playbook's maintenance commands.
    case maintenance
    /// Reboot the host and wait for it to come back with a new boot id.
    case reboot
    /// Remove the node's Aerospike segments so it really cold starts (cold path without a reboot).
    case removeSegments = "remove_segments"
    /// Restore the indexes with asmt (warm path).
    case restore
    /// Re-enable autostart, start asd and wait until it answers `status`.
    case start
    /// Check that every namespace warm restarted.
    case verifyWarm = "verify_warm"
    /// Check that every namespace cold started (flagged nodes).
    case verifyCold = "verify_cold"
    /// Wait until every node sees the full cluster again.
    case rejoin
    /// Wait until migrations are finished and the gate holds.
    case migrations
    /// Remove the node's backup files.
    case cleanup

    /// Whether the step changes anything on the node (a dry run runs none of these).
    public var isMutating: Bool {
        switch self {
        case .verifyWarm, .verifyCold, .rejoin, .migrations: false
        case .quiesce, .disableAutostart, .stop, .backup, .discardBackup, .maintenance, .reboot, .removeSegments,
             .restore, .start, .cleanup: true
        }
    }
}
