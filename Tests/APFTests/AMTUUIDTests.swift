import Testing
@testable import APF

@Suite struct AMTUUIDTests {
    @Test func referenceVectorG1() throws {
        let uuid = try #require(AMTUUID(rawBytes: hex("44 45 4c 4c 4b 00 10 42 80 33 b6 c0 4f 50 46 33")))
        #expect(uuid.guidString == "4c4c4544-004b-4210-8033-b6c04f504633")
        #expect(uuid.rawHexString == "44454C4C4B0010428033B6C04F504633")
        #expect(uuid.description == uuid.guidString)
    }

    @Test func realAMTVectorX4() throws {
        let raw: [UInt8] = [68, 69, 76, 76, 77, 0, 16, 77, 128, 80, 178, 192, 79, 50, 81, 51]
        let uuid = try #require(AMTUUID(rawBytes: raw))
        #expect(uuid.guidString == "4c4c4544-004d-4d10-8050-b2c04f325133")
        #expect(uuid.rawBytes == raw)
    }

    @Test func guidStringParsesBackToRawBytes() throws {
        let upper = try #require(AMTUUID(guidString: "4C4C4544-004B-4210-8033-B6C04F504633"))
        #expect(upper.rawBytes == hex("44454c4c4b0010428033b6c04f504633"))
        #expect(AMTUUID(guidString: "{4c4c4544-004b-4210-8033-b6c04f504633}") == upper)
        #expect(AMTUUID(guidString: "4c4c4544004b42108033b6c04f504633") == upper)
        #expect(AMTUUID(rawHexString: "44454C4C4B0010428033B6C04F504633") == upper)
    }

    @Test func everyBytePositionSurvivesTheSwapBothWays() throws {
        let raw = (0..<16).map { UInt8($0 * 16 + 15 - $0) }
        let uuid = try #require(AMTUUID(rawBytes: raw))
        #expect(uuid.guidString == "3c2d1e0f-5a4b-7869-8796-a5b4c3d2e1f0")
        let parsed = try #require(AMTUUID(guidString: uuid.guidString))
        #expect(parsed.rawBytes == raw)
    }

    @Test(arguments: [
        "", "4c4c4544-004b-4210-8033-b6c04f50463", "4c4c4544-004b-4210-8033-b6c04f5046333",
        "4c4c4544_004b-4210-8033-b6c04f504633", "4c4c4544-004b-4210-8033-b6c04f50463g",
        "4c4c4544-004b-4210-8033b-6c04f504633", "{4c4c4544-004b-4210-8033-b6c04f504633",
    ])
    func rejectsMalformedGUIDStrings(_ text: String) {
        #expect(AMTUUID(guidString: text) == nil)
    }

    @Test func rejectsWrongRawLength() {
        #expect(AMTUUID(rawBytes: [UInt8](repeating: 0, count: 15)) == nil)
        #expect(AMTUUID(rawBytes: [UInt8](repeating: 0, count: 17)) == nil)
        #expect(AMTUUID(rawHexString: "44454C4C") == nil)
    }
}
