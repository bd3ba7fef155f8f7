import RollingCore
import Testing

@Suite("Command templates")
struct CommandTemplateTests {
    let backup = CommandTemplate("sudo asmt -b -v {compress} -p {backup_dir} -n {namespaces}")

    @Test func compressTrueBecomesTheZFlag() {
        let line = backup.render(["compress": "true", "backup_dir": "/var/aerospike/asmt", "namespaces": "users,sessions"])
        #expect(line == "sudo asmt -b -v -z -p /var/aerospike/asmt -n users,sessions")
    }

    @Test func compressFalseDisappearsWithoutADoubleSpace() {
        let line = backup.render(["compress": "false", "backup_dir": "/var/aerospike/asmt", "namespaces": "users"])
        #expect(line == "sudo asmt -b -v -p /var/aerospike/asmt -n users")
    }

    @Test func compressAtEitherEndLeavesNoStraySpace() {
        #expect(CommandTemplate("asmt {compress}").render(["compress": "false"]) == "asmt")
        #expect(CommandTemplate("{compress} -b").render(["compress": "false"]) == "-b")
        #expect(CommandTemplate("{compress} -b").render(["compress": "true"]) == "-z -b")
    }

    @Test func valuesAreShellQuoted() {
        let line = backup.render(["compress": "true", "backup_dir": "/mnt/index backup", "namespaces": "a'b"])
        #expect(line == #"sudo asmt -b -v -z -p '/mnt/index backup' -n 'a'\''b'"#)
        #expect(CommandTemplate("asinfo -v {command}").render(["command": "namespace/users"])
            == "asinfo -v namespace/users")
        #expect(CommandTemplate("journalctl --since {since}").render(["since": "2026-01-02 03:04:05"])
            == "journalctl --since '2026-01-02 03:04:05'")
    }

    @Test func placeholdersAreListedOnceInOrder() {
        #expect(backup.placeholders == ["compress", "backup_dir", "namespaces"])
        #expect(CommandTemplate("cp {a} {b} {a}").placeholders == ["a", "b"])
        #expect(CommandTemplate("awk '{print}' {{x}} { y } {} {print $1}").placeholders == ["print"])
        #expect(CommandTemplate("awk '{{print}}' {{x}} { y } {} {print $1}").placeholders.isEmpty)
    }

    @Test func literalBracesSurviveRendering() {
        #expect(CommandTemplate("find {dir} -exec rm {} \\;").render(["dir": "/tmp/x"]) == "find /tmp/x -exec rm {} \\;")
        #expect(CommandTemplate("echo {{dir}} ${HOME:-x}").render([:]) == "echo {dir} ${HOME:-x}")
    }

    @Test func defaultCommandsUseOnlyTheirAllowedPlaceholders() {
        for name in NodeCommands.Name.allCases {
            let used = Set(NodeCommands()[name].placeholders)
            #expect(used.isSubset(of: name.allowedPlaceholders), "\(name.rawValue)")
            #expect(name.requiredPlaceholders.isSubset(of: used), "\(name.rawValue)")
        }
    }

    @Test func inventoryValuesRenderTheDefaultBackup() throws {
        let inventory = try loadInventory(minimalInventory)
        let line = NodeCommands().backup.render(inventory.asmtPlaceholderValues)
        #expect(line == "sudo asmt -b -v -z -p /var/aerospike/asmt -n users")
    }
}
