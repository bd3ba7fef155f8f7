#ifndef CLIBSSH2_SHIM_H
#define CLIBSSH2_SHIM_H
#include <libssh2.h>

/* Swift cannot import libssh2's function-like macros, so the ones SSHClient uses are re-exported here as
   static inline functions with a clibssh2_ prefix. They expand exactly as the macros do. */

static inline LIBSSH2_SESSION *clibssh2_session_init(void) {
    return libssh2_session_init();
}

static inline int clibssh2_session_disconnect(LIBSSH2_SESSION *session, const char *description) {
    return libssh2_session_disconnect(session, description);
}

static inline int clibssh2_userauth_publickey_fromfile(LIBSSH2_SESSION *session, const char *username,
                                                       const char *publickey, const char *privatekey,
                                                       const char *passphrase) {
    return libssh2_userauth_publickey_fromfile(session, username, publickey, privatekey, passphrase);
}

static inline LIBSSH2_CHANNEL *clibssh2_channel_open_session(LIBSSH2_SESSION *session) {
    return libssh2_channel_open_session(session);
}

static inline int clibssh2_channel_exec(LIBSSH2_CHANNEL *channel, const char *command) {
    return libssh2_channel_exec(channel, command);
}

static inline ssize_t clibssh2_channel_read(LIBSSH2_CHANNEL *channel, char *buffer, size_t length) {
    return libssh2_channel_read(channel, buffer, length);
}

static inline ssize_t clibssh2_channel_read_stderr(LIBSSH2_CHANNEL *channel, char *buffer, size_t length) {
    return libssh2_channel_read_stderr(channel, buffer, length);
}

#endif
