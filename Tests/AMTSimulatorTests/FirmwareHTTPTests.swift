import APF
import Foundation
import Testing
import WSMan
@testable import AMTSimulator

@Suite struct FirmwareHTTPTests {
    @Test func firstRequestWithoutCredentialsGets401WithRealmAndHTML() throws {
        let harness = FirmwareHarness()
        let channel = try harness.open()
        channel.send(harness.httpRequest(WSManRequest.get(.amtGeneralSettings, messageID: "0").utf8).encode())
        let response = try #require(try channel.responses().first)
        #expect(response.status == 401)
        let challenge = try #require(try DigestChallenge.find(in: response.headers))
        #expect(challenge.realm == harness.firmware.realm)
        #expect(challenge.realm.wholeMatch(of: /Digest:[0-9A-F]{32}/) != nil)
        #expect(challenge.qop == "auth")
        #expect(challenge.stale == false)
        #expect(response.headers["Content-Type"] == "text/html")
        #expect(response.headers["Connection"] == "close")
        #expect(response.bodyText.contains("<html>"))
        #expect(channel.isClosed)
        #expect(harness.firmware.calls.isEmpty)
    }

    @Test func realmIsStablePerDevice() {
        let a = AMTFirmware(uuid: FirmwareHarness.uuid, password: "x")
        let b = AMTFirmware(uuid: FirmwareHarness.uuid, password: "y")
        let other = AMTFirmware(uuid: AMTUUID(guidString: "12345678-1234-1234-1234-123456789abc")!, password: "x")
        #expect(a.realm == b.realm)
        #expect(a.realm != other.realm)
    }

    @Test func authenticatedRequestGets200ChunkedLikeAMT() throws {
        let harness = FirmwareHarness(profile: .amt12)
        let (response, statuses) = try harness.exchange(.get(.amtGeneralSettings, messageID: "7"))
        #expect(statuses == [401, 200])
        #expect(response.status == 200)
        #expect(response.headers["Transfer-Encoding"] == "chunked")
        #expect(response.headers["Content-Type"] == "application/soap+xml; charset=UTF-8")
        #expect(response.headers["Server"] == "Intel(R) Active Management Technology 12.0.67.1579")
        let envelope = try WSManEnvelope(bytes: response.body)
        #expect(envelope.header.relatesTo == "7")
        let settings = try envelope.requireInstance("AMT_GeneralSettings")
        #expect(settings.string("DigestRealm") == harness.firmware.realm)
    }

    @Test func chunkSizesAreFourUpperCaseHexDigits() throws {
        let harness = FirmwareHarness { $0.chunkSize = 256 }
        _ = try harness.exchange(.get(.amtBootSettingData, messageID: "0"))
        let channel = try harness.open()
        channel.send(harness.httpRequest(WSManRequest.get(.amtBootSettingData, messageID: "1").utf8).encode())
        let raw = channel.rawOutput
        let headerEnd = try #require(String(decoding: raw, as: UTF8.self).range(of: "\r\n\r\n"))
        var index = String(decoding: raw, as: UTF8.self).utf8.distance(
            from: String(decoding: raw, as: UTF8.self).utf8.startIndex, to: headerEnd.upperBound)
        var sizes: [String] = []
        while index < raw.count {
            guard let lineEnd = raw[index...].firstIndex(of: 13), lineEnd + 1 < raw.count, raw[lineEnd + 1] == 10 else {
                Issue.record("chunk size line not terminated")
                return
            }
            let line = String(decoding: raw[index..<lineEnd], as: UTF8.self)
            if line == "0" { break }
            sizes.append(line)
            let size = try #require(Int(line, radix: 16))
            index = lineEnd + 2 + size
            #expect(Array(raw[index..<index + 2]) == [13, 10])
            index += 2
        }
        #expect(sizes.count >= 2)
        #expect(sizes.allSatisfy { $0.wholeMatch(of: /[0-9A-F]{4}/) != nil })
        #expect(sizes.first == "0100")
        #expect(Array(raw.suffix(5)) == Array("0\r\n\r\n".utf8))
    }

    @Test func wrongPasswordIsRejected() throws {
        let harness = FirmwareHarness(password: "right", clientPassword: "wrong")
        #expect(throws: HarnessError.self) { try harness.exchange(.get(.amtGeneralSettings, messageID: "0")) }
        #expect(harness.firmware.calls.isEmpty)
    }

    @Test func keepAliveServesSeveralRequestsAndHonoursConnectionClose() throws {
        let harness = FirmwareHarness()
        _ = try harness.exchange(.get(.amtGeneralSettings, messageID: "0"))
        let channel = try harness.open()
        var bytes = harness.httpRequest(WSManRequest.get(.cimChassis, messageID: "1").utf8).encode()
        bytes += harness.httpRequest(WSManRequest.get(.cimCard, messageID: "2").utf8).encode()
        channel.send(bytes)
        let two = try channel.responses()
        #expect(two.map(\.status) == [200, 200])
        #expect(try two.map { try WSManEnvelope(bytes: $0.body).header.relatesTo } == ["1", "2"])
        #expect(!channel.isClosed)
        channel.send(harness.httpRequest(WSManRequest.get(.cimChip, messageID: "3").utf8,
                                         extraHeaders: [("Connection", "close")]).encode())
        let last = try #require(try channel.responses().first)
        #expect(last.status == 200)
        #expect(last.headers["Connection"] == "close")
        #expect(channel.isClosed)
        channel.send(harness.httpRequest(WSManRequest.get(.cimChip, messageID: "4").utf8).encode())
        #expect(try channel.responses().isEmpty)
    }

    @Test func malformedHTTPGets400AndClose() throws {
        let harness = FirmwareHarness()
        let channel = try harness.open()
        channel.send(Array("NONSENSE\r\nHost x\r\n\r\n".utf8))
        let response = try #require(try channel.responses().first)
        #expect(response.status == 400)
        #expect(channel.isClosed)
        #expect(harness.firmware.calls.isEmpty)
    }

    @Test func requestSplitAtEveryByteBoundaryStillWorks() throws {
        let harness = FirmwareHarness()
        _ = try harness.exchange(.get(.amtBootCapabilities, messageID: "0"))
        let channel = try harness.open()
        let probe = harness.httpRequest(WSManRequest.get(.amtBootCapabilities, messageID: "1").utf8).encode()
        for cut in 1..<probe.count {
            let bytes = harness.httpRequest(WSManRequest.get(.amtBootCapabilities, messageID: "c\(cut)").utf8).encode()
            channel.send(Array(bytes[..<cut]))
            channel.send(Array(bytes[cut...]))
        }
        let responses = try channel.responses()
        #expect(responses.count == probe.count - 1)
        #expect(responses.allSatisfy { $0.status == 200 })
        let last = try WSManEnvelope(bytes: try #require(responses.last).body)
        #expect(last.header.relatesTo == "c\(probe.count - 1)")
        #expect(try last.requireInstance("AMT_BootCapabilities").bool("BIOSSetup") == true)

        // And one byte at a time.
        let bytes = harness.httpRequest(WSManRequest.get(.amtBootCapabilities, messageID: "bytewise").utf8).encode()
        for byte in bytes { channel.send([byte]) }
        let single = try #require(try channel.responses().first)
        #expect(try WSManEnvelope(bytes: single.body).header.relatesTo == "bytewise")
    }

    @Test func expiredNonceGets401StaleThenSucceeds() throws {
        let harness = FirmwareHarness { $0.nonceLifetime = 60 }
        let first = try harness.exchange(.get(.amtGeneralSettings, messageID: "0"))
        #expect(first.statuses == [401, 200])
        harness.clock.advance(30)
        #expect(try harness.exchange(.get(.amtGeneralSettings, messageID: "1")).statuses == [200])
        harness.clock.advance(61)

        let channel = try harness.open()
        channel.send(harness.httpRequest(WSManRequest.get(.amtGeneralSettings, messageID: "2").utf8).encode())
        let stale = try #require(try channel.responses().first)
        #expect(stale.status == 401)
        let challenge = try #require(try DigestChallenge.find(in: stale.headers))
        #expect(challenge.stale)
        #expect(challenge.nonce != harness.credentials.challenge?.nonce)
        harness.credentials.accept(challenge)
        #expect(try harness.exchange(.get(.amtGeneralSettings, messageID: "3")).statuses == [200])
    }

    @Test func unknownPortsAreRefusedAndRegisteredPortsServed() throws {
        let firmware = AMTFirmware(uuid: FirmwareHarness.uuid, password: "x")
        guard case .failure(let refusal) = firmware.connect(port: 16993) else {
            Issue.record("16993 accepted")
            return
        }
        #expect(refusal.reason == .connectFailed)
        firmware.register(port: 5900) { AMTWSManConnection(firmware: firmware) }
        guard case .success = firmware.connect(port: 5900) else {
            Issue.record("registered port refused")
            return
        }
    }
}

@Suite struct FirmwareDateHeaderTests {
    @Test(arguments: [
        (1_641_847_068.0, "Mon, 10 Jan 2022 20:37:48 GMT"),
        (1_709_164_805.9, "Thu, 29 Feb 2024 00:00:05 GMT"),  // a leap day; fractions are cut
        (946_684_799.0, "Fri, 31 Dec 1999 23:59:59 GMT"),
    ])
    func dateHeaderIsIMFFixdate(seconds: Double, expected: String) {
        #expect(HTTPDate.format(Date(timeIntervalSince1970: seconds)) == expected)
    }
}
