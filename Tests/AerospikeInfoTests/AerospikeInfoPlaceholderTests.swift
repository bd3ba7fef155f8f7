import Testing

@Test func aerospikeInfoTargetBuilds() {
    #expect(Bool(true))
}
