internal import CLibSSH2
import SystemSupport

/// How the command on a channel ended.
struct ChannelExit {
    /// The exit status, or -1 when a signal ended the command.
    let exitStatus: Int32
    /// The signal's name without `SIG`, if one ended the command.
    let exitSignal: String?
}

/// One `exec` channel of a session, from open to free.
///
/// A channel must not outlive the session it came from, so it holds the session strongly. If it is dropped before
/// it was closed, it is handed to the session as abandoned rather than leaked or freed with a blocking call.
final class ExecChannel {
    private let session: LibSSH2Session
    private let handle: OpaquePointer
    private var isReleased = false

    /// Opens a session channel and starts `commandLine` on it, both before `deadline`.
    init(session: LibSSH2Session, commandLine: String, deadline: Deadline) throws(SSHError) {
        self.session = session
        handle = try session.callReturningHandle("libssh2_channel_open_session", phase: .command,
                                                 deadline: deadline) {
            clibssh2_channel_open_session(session.raw)
        }
        do {
            try session.call("libssh2_channel_exec", phase: .command, deadline: deadline) {
                clibssh2_channel_exec(handle, commandLine)
            }
        } catch {
            abandon()
            throw error
        }
    }

    deinit { abandon() }

    /// Reads stdout and stderr, interleaved, into `output` until the server signals the end of both.
    ///
    /// Each stream is drained until it would block before waiting on the socket, so a command that fills one
    /// stream while we wait on the other cannot stall (its window would fill and the remote write block).
    ///
    /// - Throws: `commandTimeout` at `deadline`; `connectionLost` when the server goes away.
    func readToEnd(into output: inout OutputCollector, deadline: Deadline) throws(SSHError) {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 32_768, alignment: 1)
        defer { buffer.deallocate() }
        let bytes = buffer.baseAddress?.assumingMemoryBound(to: CChar.self)
        while true {
            var progressed = false
            for stream in [CommandOutputStream.stdout, .stderr] {
                while true {
                    let count = try session.perform("libssh2_channel_read", phase: .command, deadline: nil) {
                        switch stream {
                        case .stdout: clibssh2_channel_read(handle, bytes, buffer.count)
                        case .stderr: clibssh2_channel_read_stderr(handle, bytes, buffer.count)
                        }
                    }
                    guard let count, count > 0 else { break }
                    output.append(UnsafeRawBufferPointer(rebasing: buffer[0..<count]), from: stream)
                    progressed = true
                }
            }
            // libssh2_channel_eof reports EOF only once no data for the channel is queued any more.
            if libssh2_channel_eof(handle) == 1 { return }
            if deadline.hasPassed {
                throw SSHError(.commandTimeout, endpoint: session.endpoint, message: "the deadline passed")
            }
            if !progressed { try session.waitForSocket("libssh2_channel_read", phase: .command, deadline: deadline) }
        }
    }

    /// Closes the channel after EOF and frees it; returns how the command ended.
    ///
    /// `libssh2_channel_get_exit_status` reports 0 for a command killed by a signal, so the signal is read too and
    /// the status is reported as -1 in that case.
    func close(deadline: Deadline) throws(SSHError) -> ChannelExit {
        try session.call("libssh2_channel_close", phase: .command, deadline: deadline) { libssh2_channel_close(handle) }
        try session.call("libssh2_channel_wait_closed", phase: .command, deadline: deadline) {
            libssh2_channel_wait_closed(handle)
        }
        let status = libssh2_channel_get_exit_status(handle)
        var signalName: UnsafeMutablePointer<CChar>?
        var signalLength = 0
        _ = libssh2_channel_get_exit_signal(handle, &signalName, &signalLength, nil, nil, nil, nil)
        var signal: String?
        if let signalName {
            if signalLength > 0 { signal = String(cString: signalName) }
            libssh2_free(session.raw, signalName)
        }
        do {
            try session.call("libssh2_channel_free", phase: .command, deadline: deadline) {
                libssh2_channel_free(handle)
            }
            isReleased = true
        } catch {
            abandon()
            throw error
        }
        return ChannelExit(exitStatus: signal == nil ? status : -1, exitSignal: signal)
    }

    /// Gives up on the channel without waiting: the session frees it once the server closes it.
    func abandon() {
        guard !isReleased else { return }
        isReleased = true
        session.abandon(handle)
    }
}
