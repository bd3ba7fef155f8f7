/// Every remote command line of one node, rendered once from the playbook's templates and the inventory, so that
/// the plan shows exactly what the roll runs.
public struct NodeCommandLines: Sendable, Equatable {
    /// `commands.stop`.
    public var stop: String
    /// `commands.start`.
    public var start: String
    /// `commands.disable_autostart`.
    public var disableAutostart: String
    /// `commands.enable_autostart`.
    public var enableAutostart: String
    /// `commands.is_running`.
    public var isRunning: String
    /// `commands.backup`.
    public var backup: String
    /// `commands.restore`.
    public var restore: String
    /// `commands.analyze_backup`.
    public var analyzeBackup: String
    /// `commands.analyze_restore`.
    public var analyzeRestore: String
    /// `commands.reboot`.
    public var reboot: String
    /// `commands.boot_id`.
    public var bootID: String
    /// `commands.list_segments`.
    public var listSegments: String
    /// `commands.list_backup`.
    public var listBackup: String
    /// `commands.remove_backup`.
    public var removeBackup: String
    /// The playbook's maintenance commands, as written.
    public var maintenance: [String]
    /// The node's clock as epoch seconds, read before a start so the log is searched from the node's own time.
    public var nodeClock = "date +%s"
    /// Where asroll marks, in the same command line as the reboot, that it issued a reboot in this boot. `/run` is
    /// emptied by every boot, so the mark tells a resumed run that the host is on its way down and must not be
    /// rebooted again, however slowly it goes.
    public static let rebootMarker = "/run/asroll-reboot-issued"
    /// Whether the reboot mark exists (exit 0) in the current boot.
    public var rebootMarkerProbe = "test -e \(NodeCommandLines.rebootMarker)"

    /// The reboot as asroll issues it: the mark, then `commands.reboot`, in one command line.
    public var markedReboot: String {
        let marker = NodeCommandLines.rebootMarker
        return "{ touch \(marker) 2>/dev/null || sudo -n touch \(marker); } && \(reboot)"
    }

    private var serverLogTemplate: CommandTemplate
    private var asinfoTemplate: CommandTemplate
    private var removeSegmentTemplate: CommandTemplate

    /// Renders every template of `playbook` with the values of `inventory`.
    public init(inventory: Inventory, playbook: Playbook) {
        let commands = playbook.commands
        let values = inventory.asmtPlaceholderValues
        stop = commands.stop.render(values)
        start = commands.start.render(values)
        disableAutostart = commands.disableAutostart.render(values)
        enableAutostart = commands.enableAutostart.render(values)
        isRunning = commands.isRunning.render(values)
        backup = commands.backup.render(values)
        restore = commands.restore.render(values)
        analyzeBackup = commands.analyzeBackup.render(values)
        analyzeRestore = commands.analyzeRestore.render(values)
        reboot = commands.reboot.render(values)
        bootID = commands.bootID.render(values)
        listSegments = commands.listSegments.render(values)
        listBackup = commands.listBackup.render(values)
        removeBackup = commands.removeBackup.render(values)
        maintenance = playbook.maintenance
        serverLogTemplate = commands.serverLog
        asinfoTemplate = commands.asinfo
        removeSegmentTemplate = commands.removeSegment
    }

    /// `commands.server_log` from `since` (an epoch time, passed as `@EPOCH` as journalctl takes it).
    public func serverLog(sinceEpoch since: String) -> String {
        serverLogTemplate.render(["since": "@\(since)"])
    }

    /// `commands.asinfo` for one info command.
    public func asinfo(_ command: String) -> String {
        asinfoTemplate.render(["command": command])
    }

    /// `commands.remove_segment` for one segment key.
    public func removeSegment(key: String) -> String {
        removeSegmentTemplate.render(["key": key])
    }
}
