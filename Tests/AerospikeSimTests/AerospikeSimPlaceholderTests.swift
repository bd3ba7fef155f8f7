import Testing

@Test func aerospikeSimTargetBuilds() {
    #expect(Bool(true))
}
