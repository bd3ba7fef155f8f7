import Foundation

/// Reads `/proc`: process command lines, parents and descendants, and listening TCP sockets.
public enum ProcessTable {
    /// Every pid.
    public static func pids() -> [pid_t] {
        ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap { pid_t($0) }
    }

    /// The command line of `pid` as its arguments (empty when gone).
    public static func commandLine(_ pid: pid_t) -> [String] {
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return [] }
        return data.split(separator: 0, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
            .filter { !$0.isEmpty }
    }

    /// The parent pid of `pid`.
    public static func parent(_ pid: pid_t) -> pid_t? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        return fields.count > 1 ? pid_t(fields[1]) : nil
    }

    /// Every descendant of `root` (children, their children, ...), not `root` itself.
    public static func descendants(of root: pid_t) -> [pid_t] {
        var children: [pid_t: [pid_t]] = [:]
        for pid in pids() {
            if let parent = parent(pid) { children[parent, default: []].append(pid) }
        }
        var result: [pid_t] = []
        var queue = children[root] ?? []
        while let next = queue.popLast() {
            result.append(next)
            queue += children[next] ?? []
        }
        return result
    }

    /// Processes whose command line contains every one of `fragments`.
    public static func matching(_ fragments: [String]) -> [pid_t] {
        pids().filter { pid in
            let line = commandLine(pid).joined(separator: " ")
            return !line.isEmpty && fragments.allSatisfy { line.contains($0) }
        }
    }

    /// Local `address:port` pairs in LISTEN state (IPv4), from `/proc/net/tcp`.
    public static func listeningSockets() -> [(address: String, port: Int)] {
        guard let text = try? String(contentsOfFile: "/proc/net/tcp", encoding: .utf8) else { return [] }
        var result: [(String, Int)] = []
        for line in text.split(separator: "\n").dropFirst() {
            let fields = line.split(separator: " ")
            guard fields.count > 3, fields[3] == "0A" else { continue }
            let local = fields[1].split(separator: ":")
            guard local.count == 2, let raw = UInt32(local[0], radix: 16), let port = Int(local[1], radix: 16) else {
                continue
            }
            let address = IPv4Address(value: raw.byteSwapped)
            result.append((address.description, port))
        }
        return result
    }
}
