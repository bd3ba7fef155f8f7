import SSHClient

/// Quotes values for a POSIX shell, so a value placed into a remote command line is always exactly one word.
public enum ShellQuote {
    /// Quotes `s` for `/bin/sh`.
    ///
    /// Words made only of `A-Z a-z 0-9 _ @ % + = : , . / -` are returned unchanged, so plans stay readable
    /// (`-p /var/aerospike/asmt -n users,sessions`); anything else is single-quoted by `ShellQuoting.quote`, the one
    /// quoting routine of the SSH layer. The empty string becomes `''`.
    public static func quote(_ s: String) -> String {
        if !s.isEmpty, s.unicodeScalars.allSatisfy(isSafe) { return s }
        return ShellQuoting.quote(s)
    }

    private static func isSafe(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "A"..."Z", "a"..."z", "0"..."9": true
        case "_", "@", "%", "+", "=", ":", ",", ".", "/", "-": true
        default: false
        }
    }
}
