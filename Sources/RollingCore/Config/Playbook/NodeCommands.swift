/// How asroll drives a node's services: one command template per action, with the SPEC §3 defaults.
public struct NodeCommands: Sendable, Equatable {
    /// The commands a playbook can set, by their key under `commands:`.
    public enum Name: String, Sendable, CaseIterable {
        /// `stop`: stops asd cleanly.
        case stop
        /// `start`: starts asd.
        case start
        /// `disable_autostart`: keeps asd from starting at boot.
        case disableAutostart = "disable_autostart"
        /// `enable_autostart`: lets asd start at boot again.
        case enableAutostart = "enable_autostart"
        /// `is_running`: exits 0 exactly when asd is running.
        case isRunning = "is_running"
        /// `backup`: asmt backup of the shared-memory indexes.
        case backup
        /// `restore`: asmt restore of the shared-memory indexes.
        case restore
        /// `analyze_backup`: asmt dry run of the backup.
        case analyzeBackup = "analyze_backup"
        /// `analyze_restore`: asmt dry run of the restore.
        case analyzeRestore = "analyze_restore"
        /// `reboot`: reboots the host.
        case reboot
        /// `boot_id`: prints the boot id.
        case bootID = "boot_id"
        /// `server_log`: prints the server log since a time.
        case serverLog = "server_log"
        /// `list_segments`: lists shared-memory segments.
        case listSegments = "list_segments"
        /// `asinfo`: runs one info command on the node.
        case asinfo
        /// `remove_segment`: removes one shared-memory segment (extension).
        case removeSegment = "remove_segment"
        /// `list_backup`: lists the asmt backup files (extension).
        case listBackup = "list_backup"
        /// `remove_backup`: deletes the asmt backup files (extension).
        case removeBackup = "remove_backup"

        /// The default template (SPEC §3; `remove_segment`, `list_backup` and `remove_backup` are asroll extensions).
        public var defaultText: String {
            switch self {
            case .stop: "sudo systemctl stop aerospike"
            case .start: "sudo systemctl start aerospike"
            case .disableAutostart: "sudo systemctl disable aerospike"
            case .enableAutostart: "sudo systemctl enable aerospike"
            case .isRunning: "systemctl is-active --quiet aerospike"
            case .backup: "sudo asmt -b -v {compress} -p {backup_dir} -n {namespaces}"
            case .restore: "sudo asmt -r -v -p {backup_dir} -n {namespaces}"
            case .analyzeBackup: "sudo asmt -a -b -v -p {backup_dir} -n {namespaces}"
            case .analyzeRestore: "sudo asmt -a -r -v -p {backup_dir} -n {namespaces}"
            case .reboot: "sudo systemctl reboot"
            case .bootID: "cat /proc/sys/kernel/random/boot_id"
            case .serverLog: "sudo journalctl -u aerospike --no-pager --since {since}"
            case .listSegments: "ipcs -m"
            case .asinfo: "asinfo -v {command}"
            case .removeSegment: "sudo ipcrm -M {key}"
            case .listBackup: "sudo find {backup_dir} -maxdepth 1 -type f -name '*.dat*'"
            case .removeBackup: "sudo find {backup_dir} -maxdepth 1 -type f -name '*.dat*' -delete"
            }
        }

        /// The placeholders this command may use.
        public var allowedPlaceholders: Set<String> {
            switch self {
            case .backup: ["compress", "backup_dir", "namespaces"]
            case .restore, .analyzeBackup, .analyzeRestore: ["backup_dir", "namespaces"]
            case .listBackup, .removeBackup: ["backup_dir"]
            case .serverLog: ["since"]
            case .asinfo: ["command"]
            case .removeSegment: ["key"]
            case .stop, .start, .disableAutostart, .enableAutostart, .isRunning, .reboot, .bootID, .listSegments: []
            }
        }

        /// The placeholders this command must use, because asroll relies on the value reaching the node.
        ///
        /// `{compress}` is optional: leaving it out only means the backup is not compressed.
        public var requiredPlaceholders: Set<String> { allowedPlaceholders.subtracting(["compress"]) }
    }

    /// Stops asd cleanly.
    public var stop: CommandTemplate
    /// Starts asd.
    public var start: CommandTemplate
    /// Keeps asd from starting at boot (before the index restore).
    public var disableAutostart: CommandTemplate
    /// Lets asd start at boot again.
    public var enableAutostart: CommandTemplate
    /// Exits 0 exactly when asd is running.
    public var isRunning: CommandTemplate
    /// Backs up the shared-memory indexes (`{compress}`, `{backup_dir}`, `{namespaces}`).
    public var backup: CommandTemplate
    /// Restores the shared-memory indexes (`{backup_dir}`, `{namespaces}`).
    public var restore: CommandTemplate
    /// Dry run of the backup (`{backup_dir}`, `{namespaces}`).
    public var analyzeBackup: CommandTemplate
    /// Dry run of the restore (`{backup_dir}`, `{namespaces}`).
    public var analyzeRestore: CommandTemplate
    /// Reboots the host.
    public var reboot: CommandTemplate
    /// Prints the boot id, which changes with every boot.
    public var bootID: CommandTemplate
    /// Prints the server log since `{since}`.
    public var serverLog: CommandTemplate
    /// Lists shared-memory segments (Aerospike's keys start with 0xae, 0xa2, 0xad).
    public var listSegments: CommandTemplate
    /// Runs one info command on the node (`{command}`), for `info.via: ssh`.
    public var asinfo: CommandTemplate
    /// Removes one shared-memory segment by `{key}`; used on the cold path when the host is not rebooted.
    public var removeSegment: CommandTemplate
    /// Lists the asmt backup files in `{backup_dir}`; used to probe state on resume.
    public var listBackup: CommandTemplate
    /// Deletes the asmt backup files in `{backup_dir}` (stale files before a backup, cleanup after the node).
    public var removeBackup: CommandTemplate

    /// The default commands (SPEC §3 plus the extensions), for a systemd host running the `aerospike` unit.
    public init() {
        stop = CommandTemplate(Name.stop.defaultText)
        start = CommandTemplate(Name.start.defaultText)
        disableAutostart = CommandTemplate(Name.disableAutostart.defaultText)
        enableAutostart = CommandTemplate(Name.enableAutostart.defaultText)
        isRunning = CommandTemplate(Name.isRunning.defaultText)
        backup = CommandTemplate(Name.backup.defaultText)
        restore = CommandTemplate(Name.restore.defaultText)
        analyzeBackup = CommandTemplate(Name.analyzeBackup.defaultText)
        analyzeRestore = CommandTemplate(Name.analyzeRestore.defaultText)
        reboot = CommandTemplate(Name.reboot.defaultText)
        bootID = CommandTemplate(Name.bootID.defaultText)
        serverLog = CommandTemplate(Name.serverLog.defaultText)
        listSegments = CommandTemplate(Name.listSegments.defaultText)
        asinfo = CommandTemplate(Name.asinfo.defaultText)
        removeSegment = CommandTemplate(Name.removeSegment.defaultText)
        listBackup = CommandTemplate(Name.listBackup.defaultText)
        removeBackup = CommandTemplate(Name.removeBackup.defaultText)
    }

    /// The template for `name`.
    public subscript(name: Name) -> CommandTemplate {
        get { self[keyPath: Self.keyPath(of: name)] }
        set { self[keyPath: Self.keyPath(of: name)] = newValue }
    }

    private static func keyPath(of name: Name) -> WritableKeyPath<NodeCommands, CommandTemplate> {
        switch name {
        case .stop: \.stop
        case .start: \.start
        case .disableAutostart: \.disableAutostart
        case .enableAutostart: \.enableAutostart
        case .isRunning: \.isRunning
        case .backup: \.backup
        case .restore: \.restore
        case .analyzeBackup: \.analyzeBackup
        case .analyzeRestore: \.analyzeRestore
        case .reboot: \.reboot
        case .bootID: \.bootID
        case .serverLog: \.serverLog
        case .listSegments: \.listSegments
        case .asinfo: \.asinfo
        case .removeSegment: \.removeSegment
        case .listBackup: \.listBackup
        case .removeBackup: \.removeBackup
        }
    }
}
