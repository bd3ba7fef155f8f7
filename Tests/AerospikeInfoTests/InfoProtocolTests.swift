import Testing
@testable import AerospikeInfo

@Suite struct InfoProtocolTests {
    @Test func requestHeaderCarriesVersionTypeAndBigEndianLength() {
        let bytes = InfoProtocol.request(["statistics", "namespace/test"])
        let body = Array("statistics\nnamespace/test\n".utf8)
        #expect(Array(bytes.prefix(8)) == [2, 1, 0, 0, 0, 0, 0, UInt8(body.count)])
        #expect(Array(bytes.dropFirst(8)) == body)
    }

    @Test func everyCommandIncludingTheLastIsNewlineTerminated() {
        let bytes = InfoProtocol.request(["status"])
        #expect(String(decoding: bytes.dropFirst(8), as: UTF8.self) == "status\n")
    }

    @Test func lengthUsesAllSixBytes() throws {
        let header = InfoProtocol.header(bodyLength: 0x05_04_03_02)
        #expect(header == [2, 1, 0, 0, 0x05, 0x04, 0x03, 0x02])
        #expect(try InfoProtocol.bodyLength(ofHeader: header) == 0x05_04_03_02)
    }

    @Test func headerRoundTrips() throws {
        for length in [0, 1, 255, 256, 65_535, 1_000_000] {
            #expect(try InfoProtocol.bodyLength(ofHeader: InfoProtocol.header(bodyLength: length)) == length)
        }
    }

    @Test func rejectsForeignHeaders() {
        #expect(throws: InfoProtocolError.unsupportedVersion(0)) {
            try InfoProtocol.bodyLength(ofHeader: [0, 1, 0, 0, 0, 0, 0, 1])
        }
        #expect(throws: InfoProtocolError.unexpectedType(3)) {
            try InfoProtocol.bodyLength(ofHeader: [2, 3, 0, 0, 0, 0, 0, 1])
        }
        #expect(throws: InfoProtocolError.bodyTooLarge(0x10_00_00_00_00)) {
            try InfoProtocol.bodyLength(ofHeader: [2, 1, 0, 0x10, 0, 0, 0, 0])
        }
        #expect(throws: InfoProtocolError.truncatedHeader(3)) {
            try InfoProtocol.bodyLength(ofHeader: [2, 1, 0])
        }
    }

    @Test func responseLinesSplitOnTheFirstTabOnly() {
        let body = Array("namespace/test\tobjects=3;note=a\tb\nstatus\tok\n".utf8)
        #expect(InfoProtocol.answers(inResponseBody: body) == [
            InfoAnswer(command: "namespace/test", value: "objects=3;note=a\tb"),
            InfoAnswer(command: "status", value: "ok"),
        ])
    }

    @Test func serverSideParsingIgnoresAnUnterminatedTail() {
        let body = Array("status\nbuild\nnode".utf8)
        #expect(InfoProtocol.commands(inRequestBody: body) == ["status", "build"])
    }

    @Test func responseRoundTripsThroughTheServerEncoder() {
        let bytes = InfoProtocol.response([("status", "ok"), ("build", "8.1.2.0")])
        #expect(InfoProtocol.answers(inResponseBody: Array(bytes.dropFirst(8))) == [
            InfoAnswer(command: "status", value: "ok"), InfoAnswer(command: "build", value: "8.1.2.0"),
        ])
    }
}
