import Yams

/// Turns the text of a file into a YAML node tree, reporting syntax errors and duplicate keys with their position.
enum YAMLComposer {
    /// What came out of the text.
    enum Outcome {
        /// A document to walk.
        case document(Node)
        /// Nothing but comments and blank lines.
        case empty
        /// The text is not YAML; the problem is reported.
        case failed
    }

    /// More duplicates than this in one file means something else is wrong; stop renaming.
    private static let maximumRepairs = 200

    /// Composes `text`, recording problems in `reader`.
    static func compose(_ text: String, reader: DocumentReader) -> Outcome {
        var repair = DuplicateKeyRepair()
        var current = text
        for _ in 0...maximumRepairs {
            do {
                guard let root = try Yams.compose(yaml: current) else {
                    repair.report(in: nil, to: reader)
                    return .empty
                }
                repair.report(in: root, to: reader)
                return .document(root)
            } catch let YamlError.duplicatedKeysInMapping(duplicates, context) {
                if let key = duplicates.first, let repaired = repair.rename(key, firstAt: context.mark, in: current) {
                    current = repaired
                    continue
                }
                repair.report(in: nil, to: reader)
                let keys = duplicates.map { "'\($0)'" }.joined(separator: ", ")
                reader.report(.duplicateKey, at: context.mark, "",
                              "this mapping has the key \(keys) more than once; keep one")
                return .failed
            } catch {
                repair.report(in: nil, to: reader)
                reportSyntax(error, text: current, reader: reader)
                return .failed
            }
        }
        repair.report(in: nil, to: reader)
        reader.report(.duplicateKey, line: nil, column: nil, "", "too many duplicate keys; is this the right file?")
        return .failed
    }

    private static func reportSyntax(_ error: any Error, text: String, reader: DocumentReader) {
        switch error as? YamlError {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _),
             let .composer(context, problem, mark, _):
            var message = "invalid YAML: \(problem)"
            if let context { message += " (\(context.text) at line \(context.mark.line))" }
            reader.report(.syntax, at: mark, "", message, suggestion: hint(problem: problem, line: mark.line, in: text))
        case let .reader(problem, offset, _, _):
            let position = offset.map { lineAndColumn(ofCharacterOffset: $0, in: text) }
            reader.report(.syntax, line: position?.line, column: position?.column, "",
                          "the file cannot be read as YAML text: \(problem)")
        default:
            reader.report(.syntax, line: nil, column: nil, "", "invalid YAML: \(error)")
        }
    }

    /// A likely cause of libyaml's terser complaints.
    private static func hint(problem: String, line: Int, in text: String) -> String? {
        let lineText = text.split(separator: "\n", omittingEmptySubsequences: false)
            .dropFirst(line - 1).first.map(String.init) ?? ""
        if lineText.prefix(while: { $0 == " " || $0 == "\t" }).contains("\t") {
            return "YAML does not allow tabs for indentation; indent with spaces"
        }
        let valueHasColon = lineText.split(separator: ":", omittingEmptySubsequences: false).count > 2
        if problem.contains("mapping values are not allowed"), valueHasColon {
            return "quote a value that contains ': ', e.g. \"echo a: b\""
        }
        if problem.contains("mapping values are not allowed") || problem.contains("did not find expected") {
            return "check the indentation of this line against the lines above it"
        }
        return nil
    }

    private static func lineAndColumn(ofCharacterOffset offset: Int, in text: String) -> (line: Int, column: Int) {
        var line = 1
        var column = 1
        for character in text.prefix(offset) {
            if character.isNewline {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        return (line, column)
    }
}
