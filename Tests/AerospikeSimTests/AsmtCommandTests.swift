import AerospikeSim
import Foundation
import Testing

/// `asmt` against the model's segments and a temporary backup directory.
@Suite struct AsmtCommandTests {
    private static let backup = "asmt -b -v -z -p /var/aerospike/asmt -n test,bar"
    private static let restore = "asmt -r -v -p /var/aerospike/asmt -n test,bar"

    private func stopped(_ configuration: SimConfiguration = ManualHost.configuration()) -> ManualHost {
        let host = ManualHost(configuration)
        host.run("systemctl stop aerospike")
        return host
    }

    @Test func usageErrorsPrintTheRealLinesAndExitOne() {
        let host = ManualHost()
        let neither = host.run("asmt -p /tmp -n test")
        #expect(neither.status == 1)
        #expect(neither.stdout.hasPrefix("Must specify exactly one of backup ('-b') or restore ('-r').\n\n"))
        #expect(neither.stdout.contains("usage: asmt [-a] [-b] [-c] [-h] [-i <instance>] -n <name>[,<name>...]\n"))
        #expect(host.run("asmt -b -r -p /tmp -n test").status == 1)
        let noPath = host.run("asmt -b -n test")
        #expect(noPath.stdout.hasPrefix("Must specify pathname of file directory (use '-p').\n\n"))
        #expect(noPath.status == 1)
        let noNamespace = host.run("asmt -b -p /var/aerospike/asmt")
        #expect(noNamespace.stdout == "Did not provide list of namespace names.\n")
        #expect(noNamespace.status == 1)
        #expect(host.run("asmt -b -i 16 -p /tmp -n test").stdout.hasPrefix("Instance must be from 0..15 (use '-i')."))
        let help = host.run("asmt -h")
        #expect(help.status == 0)
        #expect(help.stdout.contains("Examples:"))
        let bad = host.run("asmt -x")
        #expect(bad.stderr == "asmt: invalid option -- 'x'\n")
        #expect(bad.status == 1)
    }

    @Test func backupRefusesSegmentsAttachedToARunningAsd() {
        let host = ManualHost()
        let files = TemporaryNodeFiles()
        let result = host.run(Self.backup, files: files)
        #expect(result.status == 1)
        #expect(result.stdout.contains("\nDid not find any suitable Aerospike database segments, instance 0, "
            + "namespace 'test'.\n"))
        #expect(files.backupFiles.isEmpty)
        #expect(host.events("asmt_backup").last?["result"] == "failed")
    }

    @Test func backupRefusesABaseSegmentNotMarkedClean() {
        let host = stopped(ManualHost.configuration(faults: ["aero-1": [.uncleanStop]]))
        let files = TemporaryNodeFiles()
        let result = host.run(Self.backup, files: files)
        #expect(result.status == 1)
        #expect(result.stdout.contains("Shutdown status in base segment 0xae001000: expecting status 1, found status "
            + "0.\n"))
        #expect(result.stdout.contains("Failed backup sanity check for instance 0, namespace 'test' (nsid 1).\n"))
        #expect(files.backupFiles.isEmpty)
    }

    @Test func backupWritesCompressedFilesAndPrintsTheSuccessLinePerNamespace() {
        let host = stopped()
        let files = TemporaryNodeFiles()
        let result = host.run(Self.backup, files: files)
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("Aerospike Shared Memory Tool, Version 2.2.1\n"))
        #expect(result.stdout.contains("\(Self.backup)\n\nPerforming backup operation with compression.\n"))
        let successes = result.stdout.components(separatedBy: "Successfully backed up 4 Aerospike database segments.")
        #expect(successes.count == 3)
        #expect(result.stdout.contains("Transferred 100% of data in "))
        #expect(result.stdout.contains("key         shmid"))
        #expect(files.backupFiles == ["ae001000.dat", "ae001001.dat.gz", "ae001100.dat.gz", "ae001101.dat.gz",
                                      "ae002000.dat", "ae002001.dat.gz", "ae002100.dat.gz", "ae002101.dat.gz"])
        #expect(files.size("ae001000.dat") == 64 << 10, "the base file is never compressed")
        #expect(files.size("ae001100.dat.gz") < 256 << 10)
        #expect(files.size("ae001100.dat.gz") > 128 << 10)
        let record = host.events("asmt_backup", node: "aero-1").last
        #expect(record?["result"] == "ok")
        #expect(record?["namespaces"]?["test"] == "backed_up")
        #expect(host.model.node("aero-1")!.segments.count == 8, "a backup only reads the segments")
    }

    @Test func backupRefusesToOverwriteExistingFiles() {
        let host = stopped()
        let files = TemporaryNodeFiles()
        host.run(Self.backup, files: files)
        let again = host.run(Self.backup, files: files)
        #expect(again.status == 1)
        #expect(again.stdout.contains("Found existing Aerospike file '/var/aerospike/asmt/ae001000.dat' with "
            + "instance 0, "
                                      + "namespace 'test' (nsid 1): cannot back up associated segment.\n"))
    }

    @Test func aNamespaceWithNothingToBackUpStillExitsZeroWithoutTheSuccessLine() {
        let host = stopped()
        let files = TemporaryNodeFiles()
        let result = host.run("asmt -b -v -p /var/aerospike/asmt -n test,nosuch", files: files)
        #expect(result.status == 0)
        #expect(result.stdout.contains("\nDid not find any unattached Aerospike database segments, instance 0, "
            + "namespace 'nosuch'.\n"))
        #expect(result.stdout.components(separatedBy: "Successfully backed up").count == 2)
        #expect(host.events("asmt_backup").last?["result"] == "nothing_to_do")
    }

    @Test func analyzeBackupPrintsTheCommandAndWritesNothing() {
        let host = stopped()
        let files = TemporaryNodeFiles()
        let result = host.run("asmt -a -b -v -p /var/aerospike/asmt -n test,bar", files: files)
        #expect(result.status == 0)
        #expect(result.stdout.contains("Performing analyze operation with backup option.\n"))
        #expect(result.stdout.contains("asmt -b -i 0 -p /var/aerospike/asmt -n test,bar\n"))
        #expect(files.backupFiles.isEmpty)
        #expect(host.events("asmt_backup").last?["analyze"] == .bool(true))
    }

    @Test func analyzeWithoutTheDirectoryFailsAndDoesNotCreateIt() {
        let host = stopped()
        let files = TemporaryNodeFiles()
        let result = host.run("asmt -a -b -v -p /var/aerospike/nope -n test", files: files)
        #expect(result.status == 1)
        #expect(result.stdout.contains("Cannot write to directory '/var/aerospike/nope': either it does not exist, we "
                                       + "don't have write permission, or we're running with '-a'.\n"))
        #expect(!FileManager.default.fileExists(atPath: files.hostPath("/var/aerospike/nope")))
    }

    @Test func backupFailsFaultFailsMidwayAndRemovesItsFiles() {
        let host = stopped(ManualHost.configuration(faults: ["aero-1": [.backupFails]]))
        let files = TemporaryNodeFiles()
        let result = host.run(Self.backup, files: files)
        #expect(result.status == 1)
        #expect(result.stdout.contains("Unable to pwrite(2) file: error was 5: Input/output error\n"))
        #expect(result.stdout.contains("\nFailed to back up 4 Aerospike database segments.\n"))
        #expect(files.backupFiles.isEmpty)
    }

    @Test func killedBackupLeavesItsPartialFilesBehind() {
        let host = stopped()
        let files = TemporaryNodeFiles()
        let result = host.run(Self.backup, files: files, killAfterPauses: 2)
        #expect(result.status == 137)
        #expect(!files.backupFiles.isEmpty)
        #expect(host.events("asmt_backup").last?["result"] == "killed")
    }

    @Test func restoreAfterARebootRecreatesCleanSegmentsAndTheStartIsWarm() {
        let host = stopped()
        let files = TemporaryNodeFiles()
        let generations = host.model.node("aero-1")!.segments.map(\.generation)
        host.run(Self.backup, files: files)
        host.run("systemctl disable aerospike")
        host.run("reboot")
        host.advance(1.5)
        #expect(host.model.node("aero-1")!.segments.isEmpty)
        let analyze = host.run("asmt -a -r -v -p /var/aerospike/asmt -n test,bar", files: files)
        #expect(analyze.status == 0)
        #expect(analyze.stdout.contains("asmt -r -i 0 -p /var/aerospike/asmt -n test,bar\n"))
        let restore = host.run(Self.restore, files: files)
        #expect(restore.status == 0)
        let line = "Successfully restored 4 Aerospike database segment files."
        let restored = restore.stdout.components(separatedBy: line)
        #expect(restored.count == 3)
        #expect(host.model.node("aero-1")!.segments.map(\.generation).sorted() == generations.sorted())
        #expect(files.backupFiles.count == 8, "backup files stay after a restore")
        host.run("systemctl enable aerospike")
        host.run("systemctl start aerospike")
        host.advance(1)
        #expect(host.events("asd_started", node: "aero-1").last?["mode"] == "warm")
        #expect(host.events("asmt_restore").last?["result"] == "ok")
    }

    @Test func restoreIsRefusedWhenSegmentsForTheNamespaceExist() {
        let host = stopped()
        let files = TemporaryNodeFiles()
        host.run(Self.backup, files: files)
        let result = host.run(Self.restore, files: files)
        #expect(result.status == 1)
        #expect(result.stdout.contains("Found existing Aerospike primary index segment 0xae001000 with instance 0, "
                                       + "namespace 'test' (nsid 1): cannot restore associated file.\n"))
    }

    @Test func restoreWithAnEmptyDirectoryFindsNoFilesAndExitsOne() {
        let host = stopped()
        let files = TemporaryNodeFiles()
        let result = host.run(Self.restore, files: files)
        #expect(result.status == 1)
        #expect(result.stdout.contains("\nDid not find any Aerospike database segment files, instance 0, namespace "
            + "'test'.\n"))
    }

    @Test func restoreOfANamespaceWithoutFilesAmongOthersExitsZeroWithoutTheSuccessLine() {
        let host = stopped()
        let files = TemporaryNodeFiles()
        host.run("asmt -b -v -p /var/aerospike/asmt -n test", files: files)
        host.run("systemctl disable aerospike")
        host.run("reboot")
        host.advance(1.5)
        let result = host.run(Self.restore, files: files)
        #expect(result.status == 0)
        #expect(result.stdout.contains("Did not find any Aerospike database segment files, instance 0, namespace "
            + "'bar'."))
        #expect(result.stdout.components(separatedBy: "Successfully restored").count == 2)
    }

    @Test func missingAsmtFaultLooksLikeTheToolIsNotInstalled() {
        let host = stopped(ManualHost.configuration(faults: ["aero-1": [.noAsmt]]))
        let result = host.run(Self.backup)
        #expect(result.status == 127)
    }
}
