/// Quoting of values placed into remote shell command lines. Every value asroll puts into a command goes through
/// here, so that quotes, `$`, backslashes and newlines in it reach the remote program unchanged.
public enum ShellQuoting {
    /// `value` as one POSIX shell word: single-quoted, with each `'` written as `'\''`.
    public static func quote(_ value: String) -> String {
        "'" + value.replacing("'", with: #"'\''"#) + "'"
    }
}
