import CLibSSH2
import Testing

@testable import SSHClient

@Suite struct SSHErrorMappingTests {
    @Test func socketFailuresMeanTheConnectionWasLostInEveryPhase() {
        for phase in [LibSSH2Phase.handshake, .authentication, .command] {
            for code in [LIBSSH2_ERROR_SOCKET_RECV, LIBSSH2_ERROR_SOCKET_SEND, LIBSSH2_ERROR_SOCKET_DISCONNECT,
                         LIBSSH2_ERROR_BAD_SOCKET] {
                #expect(SSHError.Kind.forLibSSH2Code(code, during: phase) == .connectionLost)
            }
        }
    }

    @Test func timeoutsAreConnectTimeoutsUntilACommandRuns() {
        #expect(SSHError.Kind.forLibSSH2Code(LIBSSH2_ERROR_TIMEOUT, during: .handshake) == .connectTimeout)
        #expect(SSHError.Kind.forLibSSH2Code(LIBSSH2_ERROR_SOCKET_TIMEOUT, during: .authentication) == .connectTimeout)
        #expect(SSHError.Kind.forLibSSH2Code(LIBSSH2_ERROR_TIMEOUT, during: .command) == .commandTimeout)
    }

    @Test func keyExchangeFailuresAreHandshakeFailures() {
        for code in [LIBSSH2_ERROR_KEX_FAILURE, LIBSSH2_ERROR_BANNER_RECV, LIBSSH2_ERROR_METHOD_NOT_SUPPORTED,
                     LIBSSH2_ERROR_KEY_EXCHANGE_FAILURE] {
            #expect(SSHError.Kind.forLibSSH2Code(code, during: .handshake) == .handshakeFailed)
        }
        #expect(SSHError.Kind.forLibSSH2Code(LIBSSH2_ERROR_INVALID_MAC, during: .command) == .protocolError)
    }

    @Test func refusedKeysAndUnloadableKeyFilesAreAuthenticationFailures() {
        for code in [LIBSSH2_ERROR_AUTHENTICATION_FAILED, LIBSSH2_ERROR_PUBLICKEY_UNVERIFIED, LIBSSH2_ERROR_FILE,
                     LIBSSH2_ERROR_AGENT_PROTOCOL, LIBSSH2_ERROR_METHOD_NONE] {
            #expect(SSHError.Kind.forLibSSH2Code(code, during: .authentication) == .authenticationFailed)
        }
    }

    @Test func fileErrorsOutsideAuthenticationConcernKnownHosts() {
        #expect(SSHError.Kind.forLibSSH2Code(LIBSSH2_ERROR_FILE, during: .handshake) == .knownHostsUnreadable)
        #expect(SSHError.Kind.forLibSSH2Code(LIBSSH2_ERROR_KNOWN_HOSTS, during: .handshake) == .knownHostsUnreadable)
    }

    @Test func refusedChannelRequestsAreChannelFailures() {
        for code in [LIBSSH2_ERROR_CHANNEL_FAILURE, LIBSSH2_ERROR_CHANNEL_REQUEST_DENIED,
                     LIBSSH2_ERROR_CHANNEL_CLOSED] {
            #expect(SSHError.Kind.forLibSSH2Code(code, during: .command) == .channelFailed)
        }
    }

    @Test func unexpectedCodesAreProtocolErrors() {
        #expect(SSHError.Kind.forLibSSH2Code(LIBSSH2_ERROR_BAD_USE, during: .command) == .protocolError)
        #expect(SSHError.Kind.forLibSSH2Code(-999, during: .command) == .protocolError)
    }

    @Test func problemsThatNeedAPersonAreNotRetryable() {
        let endpoint = SSHEndpoint(host: "10.0.0.12", user: "root")
        for kind in [SSHError.Kind.hostKeyUnknown, .hostKeyChanged, .knownHostsUnreadable, .authenticationFailed] {
            #expect(!SSHError(kind, endpoint: endpoint, message: "").isRetryable)
        }
        for kind in [SSHError.Kind.connectTimeout, .connectionRefused, .connectionLost, .commandTimeout,
                     .handshakeFailed] {
            #expect(SSHError(kind, endpoint: endpoint, message: "").isRetryable)
        }
    }

    @Test func descriptionNamesTheNodeTheEndpointAndTheKind() {
        let named = SSHEndpoint(host: "10.0.0.12", port: 22, user: "root", name: "aero-2")
        let error = SSHError(.hostKeyChanged, endpoint: named, message: "the server presented SHA256:abc")
        #expect(error.description == "aero-2 (root@10.0.0.12:22): host key changed: the server presented SHA256:abc")
        #expect(error.endpoint == "root@10.0.0.12:22")
        let unnamed = SSHEndpoint(host: "fe80::1", port: 2222, user: "ops")
        #expect(SSHError(.connectionLost, endpoint: unnamed, message: "x").description
            == "ops@[fe80::1]:2222: connection lost: x")
    }
}
