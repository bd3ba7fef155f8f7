import Testing

@Test func rollingCoreTargetBuilds() {
    #expect(Bool(true))
}
