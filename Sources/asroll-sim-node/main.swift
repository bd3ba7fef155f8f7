#if canImport(Glibc)
import Glibc
#endif

// asroll-sim-node: the program behind `sudo`, `systemctl`, `asmt`, `reboot`, ... on a simulated node. It is linked
// into the node's /usr/bin and /usr/sbin overlays under those names and dispatches on the name it was called by.
// `sudo` is handled here (options, VAR=value, then exec); everything else is forwarded to the simulator daemon,
// whose answer is relayed as it arrives. Glibc only, so that every simulated command starts in a few milliseconds.

let arguments = CommandLine.arguments
let program = arguments.first.map { String($0.split(separator: "/").last ?? Substring($0)) } ?? ""
let node = NodeInfo.load()

if program == "sudo" {
    Sudo.run(Array(arguments.dropFirst()), node: node)
} else {
    Forward.run(arguments, node: node)
}
