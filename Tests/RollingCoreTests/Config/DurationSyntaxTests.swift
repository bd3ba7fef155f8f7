import RollingCore
import Testing

@Suite("Durations")
struct DurationSyntaxTests {
    @Test(arguments: [
        ("500ms", Duration.milliseconds(500)),
        ("30s", .seconds(30)),
        ("10m", .seconds(600)),
        ("2h", .seconds(7_200)),
        ("1h30m", .seconds(5_400)),
        ("1m30s250ms", .milliseconds(90_250)),
        ("0s", .zero),
        (" 45s ", .seconds(45)),
        ("12h", .seconds(43_200)),
    ])
    func acceptedFormsParse(text: String, expected: Duration) throws {
        #expect(try DurationSyntax.parse(text) == expected)
    }

    @Test(arguments: [
        ("30", "it has no unit"),
        ("-5s", "durations cannot be negative"),
        ("5d", "unknown unit 'd'"),
        ("1.5h", "fractions are not accepted"),
        ("", "it is empty"),
        ("s", "expected a number"),
        ("30m1h", "largest to smallest"),
        ("10s10s", "largest to smallest"),
        ("5 min", "unexpected ' '"),
        ("9999999h", "longer than a year"),
    ])
    func rejectedFormsExplainWhyAndListTheAcceptedOnes(text: String, reason: String) {
        #expect {
            try DurationSyntax.parse(text)
        } throws: { error in
            let message = (error as? DurationSyntax.ParseError)?.message ?? ""
            return message.contains(reason) && message.hasSuffix(DurationSyntax.acceptedForms)
        }
    }

    @Test(arguments: [
        (Duration.seconds(120), "2m"),
        (.seconds(5_400), "1h30m"),
        (.milliseconds(500), "500ms"),
        (.zero, "0s"),
        (.seconds(43_200), "12h"),
        (.milliseconds(61_001), "1m1s1ms"),
    ])
    func formatWritesWhatParseReads(duration: Duration, text: String) throws {
        #expect(DurationSyntax.format(duration) == text)
        #expect(try DurationSyntax.parse(text) == duration)
    }
}
