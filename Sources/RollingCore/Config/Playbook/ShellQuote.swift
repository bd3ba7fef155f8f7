/// Quotes values for a POSIX shell, so a value placed into a remote command line is always exactly one word.
public enum ShellQuote {
    /// Quotes `s` for `/bin/sh`.
    ///
    /// Words made only of `A-Z a-z 0-9 _ @ % + = : , . / -` are returned unchanged (they are readable in the plan
    /// and mean the same to the shell); anything else is wrapped in single quotes, with each `'` written as `'\''`.
    /// The empty string becomes `''`.
    public static func quote(_ s: String) -> String {
        if s.isEmpty { return "''" }
        if s.unicodeScalars.allSatisfy(isSafe) { return s }
        return "'" + s.replacing("'", with: #"'\''"#) + "'"
    }

    private static func isSafe(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "A"..."Z", "a"..."z", "0"..."9": true
        case "_", "@", "%", "+", "=", ":", ",", ".", "/", "-": true
        default: false
        }
    }
}
