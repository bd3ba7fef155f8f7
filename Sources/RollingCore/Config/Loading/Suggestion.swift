/// Finds the valid word an operator most likely meant, for "did you mean" hints.
enum Suggestion {
    /// The candidate closest to `word`, if it is close enough to be a plausible typo.
    ///
    /// Case, `-` and `_` are ignored first (`identityFile` → `identity_file`); otherwise the optimal-string-alignment
    /// distance (a swap of two neighbours counts as one edit) must be at most a third of the word, and at most 2.
    static func closest(to word: String, in candidates: some Sequence<String>) -> String? {
        let normalizedWord = normalized(word)
        var best: (candidate: String, distance: Int)?
        for candidate in candidates {
            if normalized(candidate) == normalizedWord { return candidate }
            let distance = editDistance(Array(word.lowercased()), Array(candidate.lowercased()))
            if distance < (best?.distance ?? Int.max) { best = (candidate, distance) }
        }
        guard let best else { return nil }
        let allowed = min(2, max(1, word.count / 3))
        return best.distance <= allowed ? best.candidate : nil
    }

    /// `did you mean 'x'?` for the closest candidate, or nil.
    static func didYouMean(_ word: String, in candidates: some Sequence<String>) -> String? {
        closest(to: word, in: candidates).map { "did you mean '\($0)'?" }
    }

    private static func normalized(_ word: String) -> String {
        String(word.lowercased().filter { $0 != "_" && $0 != "-" })
    }

    /// Optimal string alignment distance (Levenshtein plus adjacent transpositions).
    static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var table = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { table[i][0] = i }
        for j in 0...b.count { table[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var value = min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    value = min(value, table[i - 2][j - 2] + 1)
                }
                table[i][j] = value
            }
        }
        return table[a.count][b.count]
    }
}
