import Testing

@Test func sSHClientTargetBuilds() {
    #expect(Bool(true))
}
