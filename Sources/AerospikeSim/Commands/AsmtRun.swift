import Foundation

/// One asmt invocation's work per namespace: the backup and restore passes of `asmt.c`.
struct AsmtRun {
    let context: CommandContext
    let options: AsmtOptions
    /// `-p` as given (messages show it as given).
    let path: String
    /// Every name of `-n`, empty ones included (the analyze line repeats them).
    let allNames: [String]

    private var verbose: Bool { options.verbose }
    private var hostDirectory: String { context.files.hostPath(path) }
    private var program: String { context.programName }

    private func say(_ text: String) {
        if verbose { context.output.out(text) }
    }

    // MARK: - Backup

    func backup(_ name: String) throws(AsmtCommand.Killed) -> AsmtCommand.NamespaceResult {
        var result = AsmtCommand.NamespaceResult(namespace: name, outcome: "refused", success: false)
        guard checkDirectory(write: true, create: !options.analyze) else {
            say("Cannot write to directory '\(path)'" + (options.analyze
                ? ": either it does not exist, we don't have write permission, or we're running with '-a'.\n"
                : ": either it does not exist or we don't have write permission.\n"))
            return result
        }
        let configuration = context.host.withModel { model, _ in model.configuration }
        let segments = context.host.withModel { model, _ in model.node(context.node)?.segments ?? [] }
            .filter { segment in
                guard segment.attachments == 0, let decoded = SegmentKind.decode(segment.key),
                      decoded.instance == Int(options.instance) else { return false }
                return decoded.kind != .base || segment.namespace == name
            }
        if segments.isEmpty {
            say("\nDid not find any suitable Aerospike database segments, instance \(options.instance), namespace "
                + "'\(name)'.\n")
            result.outcome = "none_suitable"
            return result
        }
        guard let base = segments.first(where: { $0.kind == .base }) else {
            say("\nDid not find any unattached Aerospike database segments, instance \(options.instance), namespace "
                + "'\(name)'.\n")
            result.outcome = "nothing_to_do"
            result.success = true
            return result
        }
        let nsid = base.nsid
        let treexes = segments.filter { $0.kind == .treex && $0.nsid == nsid }
        guard treexes.count == 1 else {
            say("Missing treex segment for instance \(options.instance), namespace '\(name)' (nsid \(nsid)).\n")
            return result
        }
        let stages = segments.filter { if case .stage = $0.kind { return $0.nsid == nsid } else { return false } }
            .sorted { $0.key < $1.key }
        guard !stages.isEmpty else {
            say("Missing primary stage segment(s) for instance \(options.instance), namespace '\(name)' (nsid "
                + "\(nsid)).\n")
            return result
        }
        for offset in stages.indices where !stages.contains(where: { $0.kind == .stage(0x100 + offset) }) {
            say("Missing primary stage segment \(String(format: "%03x", 0x100 + offset)) for instance "
                + "\(options.instance), namespace '\(name)' (nsid \(nsid)).\n")
            return result
        }
        let ordered = [base, treexes[0]] + stages
        say("\n" + AsmtTable.render(segmentTable(ordered)) + "\n")
        guard backupSanity(base: base, stages: stages, stageCount: configuration.segmentLayout.stageCount, name: name)
        else {
            if !options.analyze {
                say("Failed backup sanity check for instance \(options.instance), namespace '\(name)' (nsid "
                    + "\(nsid)).\n")
            }
            return result
        }
        if options.analyze {
            say("\(program) -b -i \(options.instance) -p \(path) -n \(allNames.joined(separator: ","))"
                + (options.compress ? " -z" : "") + (options.crc32 ? " -c" : "") + "\n")
            result.outcome = "analyzed"
            result.success = true
            return result
        }
        return try transferBackup(ordered, name: name, stageCount: configuration.segmentLayout.stageCount)
    }

    private func backupSanity(base: SharedMemorySegment, stages: [SharedMemorySegment], stageCount: Int,
                              name: String) -> Bool {
        guard base.cleanShutdown else {
            say("Shutdown status in base segment \(SegmentKind.hex(base.key)): expecting status 1, found status 0.\n")
            return false
        }
        guard stageCount == stages.count else {
            say("Wrong number of primary arena stages: expecting \(stageCount), found \(stages.count).\n")
            return false
        }
        var found = false
        for file in directoryEntries() {
            guard let (key, _) = AsmtSegmentFile.parseName(file), let decoded = SegmentKind.decode(key),
                  decoded.instance == Int(options.instance), decoded.nsid == base.nsid else { continue }
            found = true
            if !options.analyze {
                say("Found existing Aerospike file '\(path)/\(file)' with instance \(options.instance), namespace "
                    + "'\(name)' (nsid \(base.nsid)): cannot back up associated segment.\n")
            }
        }
        return !found
    }

    private func transferBackup(_ segments: [SharedMemorySegment], name: String,
                                stageCount: Int) throws(AsmtCommand.Killed) -> AsmtCommand.NamespaceResult {
        var result = AsmtCommand.NamespaceResult(namespace: name, outcome: "failed", success: false)
        let failsMidway = context.host.withModel { model, _ in model.node(context.node)?.has("backup-fails") ?? false }
        var created: [(String, String)] = []
        func cleanup() {
            for (hostFile, _) in created { unlink(hostFile) }
        }
        func finish(_ success: Bool) -> AsmtCommand.NamespaceResult {
            say((success ? "\nSuccessfully backed up" : "\nFailed to back up") + " \(segments.count) Aerospike "
                + "database segments.\n")
            if !success { cleanup() }
            result.success = success
            result.outcome = success ? "backed_up" : "failed"
            result.files = success ? created.map(\.1) : []
            return result
        }
        var descriptors: [Int32] = []
        defer { for descriptor in descriptors { close(descriptor) } }
        for segment in segments {
            let compressed = options.compress && segment.kind != .base
            let fileName = AsmtSegmentFile.fileName(key: segment.key, compressed: compressed)
            let hostFile = hostDirectory + "/" + fileName
            let descriptor = open(hostFile, O_CREAT | O_RDWR | O_EXCL | O_CLOEXEC, 0o600)
            guard descriptor >= 0 else {
                say("Could not create segment file '\(path)/\(fileName)': error was \(errno): "
                    + "\(String(cString: strerror(errno))).\n")
                cleanup()
                return result
            }
            descriptors.append(descriptor)
            created.append((hostFile, fileName))
            if !compressed { _ = posix_fallocate(descriptor, 0, off_t(segment.size)) }
        }
        let total = segments.reduce(0) { $0 + $1.size }
        let rate = context.host.withModel { model, _ in model.configuration.timing.backupRate }
        let started = context.host.now()
        var transferred = 0
        var decile = 0
        for (position, segment) in segments.enumerated() {
            guard context.pause(Double(segment.size) / max(rate, 1)) else { throw AsmtCommand.Killed() }
            if failsMidway && position == segments.count / 2 {
                say("Unable to pwrite(2) file: error was 5: Input/output error\n")
                return finish(false)
            }
            let compressed = options.compress && segment.kind != .base
            let file = AsmtSegmentFile(key: segment.key, node: segment.origin, namespace: segment.namespace,
                                       nsid: segment.nsid, kind: segment.kind, generation: segment.generation,
                                       size: segment.size, cleanShutdown: segment.cleanShutdown, stageCount: stageCount)
            let header = file.header(compressed: compressed)
            let wrote = header.withUnsafeBytes { pwrite(descriptors[position], $0.baseAddress, header.count, 0) }
            let length = file.fileLength(compressed: compressed)
            let allocated = compressed ? posix_fallocate(descriptors[position], 0, off_t(length)) : 0
            guard wrote == header.count, allocated == 0 else {
                let code = wrote < 0 ? errno : allocated != 0 ? allocated : ENOSPC
                if compressed {
                    say("Could not write to compressed file.\n")
                } else {
                    say("Unable to pwrite(2) file: error was \(code): \(String(cString: strerror(code)))\n")
                }
                return finish(false)
            }
            transferred += segment.size
            decile = progress(transferred: transferred, total: total, decile: decile, started: started)
        }
        return finish(true)
    }

    private func segmentTable(_ segments: [SharedMemorySegment]) -> [[String]] {
        var rows = [["key", "shmid", "user", "group", "mode", "natt", "segsz", "inst", "nsid", "name", "type", "stage"]]
        if options.crc32 { rows[0].append("crc32") }
        for segment in segments {
            var row = [SegmentKind.hex(segment.key), String(segment.shmid), "root", "root",
                       "0" + String(segment.mode, radix: 8), String(segment.attachments), String(segment.size),
                       String(options.instance), String(segment.nsid), segment.kind == .base ? segment.namespace : "-",
                       segment.kind.asmtType, stageText(segment.kind)]
            if options.crc32 {
                row.append(String(format: "0x%08x", UInt32(truncatingIfNeeded: segment.key &* 2_654_435_761)))
            }
            rows.append(row)
        }
        return rows
    }

    // MARK: - Restore

    func restore(_ name: String) throws(AsmtCommand.Killed) -> AsmtCommand.NamespaceResult {
        var result = AsmtCommand.NamespaceResult(namespace: name, outcome: "refused", success: false)
        guard checkDirectory(write: false, create: false) else {
            say("Cannot read from directory '\(path)': either it does not exist or we don't have read permission.\n")
            return result
        }
        var files: [(name: String, file: AsmtSegmentFile, compressed: Bool, length: Int)] = []
        for entry in directoryEntries() {
            guard let (key, compressed) = AsmtSegmentFile.parseName(entry), let decoded = SegmentKind.decode(key),
                  decoded.instance == Int(options.instance) else { continue }
            let hostFile = hostDirectory + "/" + entry
            let isCompressed = compressed && decoded.kind != .base
            guard var file = AsmtSegmentFile.read(path: hostFile, key: key, compressed: isCompressed) else { continue }
            if decoded.kind == .base && file.namespace != name { continue }
            let length = ((try? FileManager.default.attributesOfItem(atPath: hostFile))?[.size] as? Int) ?? 0
            if !(compressed && decoded.kind != .base) { file.size = length }
            files.append((entry, file, compressed && decoded.kind != .base, length))
        }
        files.sort { $0.file.key < $1.file.key }
        if files.isEmpty {
            say("\nDid not find any Aerospike database segment files, instance \(options.instance), namespace "
                + "'\(name)'.\n")
            result.outcome = "no_files"
            return result
        }
        guard let base = files.first(where: { $0.file.kind == .base }) else {
            say("\nDid not find any Aerospike database segment files, instance \(options.instance), namespace "
                + "'\(name)'.\n")
            result.outcome = "nothing_to_do"
            result.success = true
            return result
        }
        let nsid = base.file.nsid
        let treexes = files.filter { $0.file.kind == .treex && $0.file.nsid == nsid }
        guard treexes.count == 1 else {
            say("Missing treex segment file.\n")
            return result
        }
        let stages = files.filter { entry in
            if case .stage = entry.file.kind { return entry.file.nsid == nsid }
            return false
        }
        guard !stages.isEmpty else {
            say("Missing primary stage segment file(s) for instance \(options.instance), namespace '\(name)' (nsid "
                + "\(nsid)).\n")
            return result
        }
        for offset in stages.indices where !stages.contains(where: { $0.file.kind == .stage(0x100 + offset) }) {
            say("Missing primary stage segment file \(String(format: "%03x", 0x100 + offset)) for instance "
                + "\(options.instance), namespace '\(name)' (nsid \(nsid)).\n")
            return result
        }
        let ordered = [base, treexes[0]] + stages
        var table = [["key", "user", "group", "mode", "filsz", "segsz", "inst", "nsid", "name", "type", "stage"]]
        for entry in ordered {
            table.append([SegmentKind.hex(entry.file.key), "root", "root", "0100600", String(entry.length),
                          String(entry.file.size), String(options.instance), String(nsid),
                          entry.file.kind == .base ? name : "-", entry.file.kind.asmtType, stageText(entry.file.kind)])
        }
        say("\n" + AsmtTable.render(table) + "\n")
        guard restoreSanity(base: base.file, stageFiles: stages.count, name: name) else {
            say("Failed restore sanity check for instance \(options.instance), namespace '\(name)' (nsid \(nsid)).\n")
            return result
        }
        if options.analyze {
            say("\(program) -r -i \(options.instance) -p \(path) -n \(allNames.joined(separator: ","))"
                + (options.crc32 ? " -c" : "") + "\n")
            result.outcome = "analyzed"
            result.success = true
            return result
        }
        return try transferRestore(ordered.map { ($0.name, $0.file) }, base: base.file, name: name)
    }

    private func restoreSanity(base: AsmtSegmentFile, stageFiles: Int, name: String) -> Bool {
        guard base.stageCount == stageFiles else {
            say("Incorrect number of arena stages found: expecting \(base.stageCount), found \(stageFiles).\n")
            return false
        }
        let existing = context.host.withModel { model, _ in model.node(context.node)?.segments ?? [] }
        var found = false
        for segment in existing {
            guard let decoded = SegmentKind.decode(segment.key), decoded.nsid == base.nsid,
                  decoded.instance == Int(options.instance) else { continue }
            say("Found existing Aerospike primary index segment \(SegmentKind.hex(segment.key)) with instance "
                + "\(options.instance), namespace '\(name)' (nsid \(base.nsid)): cannot restore associated file.\n")
            found = true
        }
        return !found
    }

    private func transferRestore(_ files: [(String, AsmtSegmentFile)], base: AsmtSegmentFile,
                                 name: String) throws(AsmtCommand.Killed) -> AsmtCommand.NamespaceResult {
        var result = AsmtCommand.NamespaceResult(namespace: name, outcome: "failed", success: false)
        let specs = files.map { entry in
            RestoredSegment(key: entry.1.key, size: entry.1.size, namespace: name, nsid: entry.1.nsid,
                            kind: entry.1.kind, generation: entry.1.generation, origin: entry.1.node,
                            cleanShutdown: entry.1.kind == .base && base.cleanShutdown)
        }
        let created = context.host.withModel { model, time in
            model.createRestoredSegments(context.node, specs, now: time)
        }
        guard let shmids = created else {
            let existing = specs.first { spec in
                context.host.withModel { model, _ in
                    model.node(context.node)?.segments.contains { $0.key == spec.key } ?? false
                }
            }
            say("Could not create segment with key \(SegmentKind.hex(existing?.key ?? specs[0].key)): error was 17: "
                + "File exists.\n")
            say("\nFailed to restore \(files.count) Aerospike database segment files.\n")
            return result
        }
        let total = specs.reduce(0) { $0 + $1.size }
        let rate = context.host.withModel { model, _ in model.configuration.timing.restoreRate }
        let started = context.host.now()
        var transferred = 0
        var decile = 0
        for (position, spec) in specs.enumerated() {
            guard context.pause(Double(spec.size) / max(rate, 1)) else { throw AsmtCommand.Killed() }
            guard FileManager.default.isReadableFile(atPath: hostDirectory + "/" + files[position].0) else {
                say("Could not open segment file '\(path)/\(files[position].0)': error was 2: No such file or "
                    + "directory.\n")
                say("\nFailed to restore \(files.count) Aerospike database segment files.\n")
                context.host.withModel { model, time in
                    model.discardRestoredSegments(context.node, shmids: shmids, now: time)
                }
                return result
            }
            context.host.withModel { model, time in
                model.completeRestoredSegment(context.node, shmid: shmids[position], now: time)
            }
            transferred += spec.size
            decile = progress(transferred: transferred, total: total, decile: decile, started: started)
        }
        say("\nSuccessfully restored \(files.count) Aerospike database segment files.\n")
        result.outcome = "restored"
        result.success = true
        result.files = files.map(\.0)
        return result
    }

    // MARK: - Shared

    /// Prints `Transferred  NN% of data in S.Ts.` whenever another tenth is done; returns the new decile.
    private func progress(transferred: Int, total: Int, decile: Int, started: Double) -> Int {
        let reached = total > 0 ? transferred * 10 / total : 10
        guard reached != decile else { return decile }
        let elapsed = max(0, context.host.now() - started)
        let tenths = Int((elapsed * 10).rounded(.down))
        let minutes = tenths / 600
        let time = minutes > 0 ? "\(minutes)m:\(tenths % 600 / 10).\(tenths % 10)s" : "\(tenths / 10).\(tenths % 10)s"
        say(String(format: "Transferred %3d%% of data in %@.\n", reached * 10, time))
        return reached
    }

    private func stageText(_ kind: SegmentKind) -> String {
        if case .stage(let number) = kind { return String(format: "0x%03x", number) }
        return "-"
    }

    private func checkDirectory(write: Bool, create: Bool) -> Bool {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: hostDirectory, isDirectory: &isDirectory) {
            return isDirectory.boolValue
        }
        guard create, mkdir(hostDirectory, 0o700) == 0 else { return false }
        say("\nCreated backup directory '\(path)'.\n")
        return true
    }

    private func directoryEntries() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: hostDirectory)) ?? []).sorted()
    }
}
