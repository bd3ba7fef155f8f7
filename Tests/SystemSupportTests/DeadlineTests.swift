import Testing
@testable import SystemSupport

@Suite struct DeadlineTests {
    @Test func pollTimeoutRoundsUpAndClampsAtZero() {
        let past = Deadline.after(.milliseconds(-5))
        #expect(past.hasPassed)
        #expect(past.pollTimeout == 0)
        let future = Deadline.after(.milliseconds(1500))
        #expect(future.pollTimeout > 1400 && future.pollTimeout <= 1500)
    }

    @Test func formatsDurationsForOperators() {
        #expect(Duration.milliseconds(850).formattedSeconds == "850ms")
        #expect(Duration.milliseconds(12_340).formattedSeconds == "12.3s")
        #expect(Duration.seconds(245).formattedSeconds == "4m05s")
        #expect(Duration.seconds(7380).formattedSeconds == "2h03m")
    }
}
