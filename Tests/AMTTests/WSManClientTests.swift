import AMT
import AMTSimulator
import CIRA
import Foundation
import Synchronization
import Testing
import WSMan

/// The per-device WS-Man client against simulated devices through real CIRA tunnels (TLS + APF).
@Suite struct WSManClientTests {
    @Test func digestChallengeIsCachedAndTheChannelIsReused() async throws {
        let bed = try await AMTTestBed.start()
        let uuid = amtTestUUID(1)
        let firmware = AMTFirmware(uuid: uuid, password: "P@ssw0rd-amt")
        let device = try await bed.connect(uuid, firmware: firmware)
        let client = bed.client(uuid)
        #expect(try await client.powerState() == 2)
        #expect(try await client.powerState() == 2)
        let settings = try await client.generalSettings()
        #expect(settings.generalSettings["DigestRealm"]?.stringValue == firmware.realm)
        // An optimized Enumerate twice (the items come in the EnumerateResponse), then Get: three
        // calls, logged once each (the unauthenticated first attempt is answered 401 before dispatch).
        #expect(firmware.calls.map(\.method) == ["Enumerate", "Enumerate", "Get"])
        await device.stop()
        await bed.server.stop()
    }

    /// Firmware without optimized enumeration: one that answers with a plain context gets a Pull;
    /// one that faults is asked again plainly, and plainly from then on. Configured off, the
    /// client never asks for it.
    @Test(arguments: ["ignores", "refuses", "off"])
    func enumerationWorksWithoutTheOptimization(_ firmwareKind: String) async throws {
        let bed = try await AMTTestBed.start()
        let uuid = amtTestUUID(firmwareKind == "ignores" ? 31 : firmwareKind == "refuses" ? 32 : 33)
        let firmware = AMTFirmware(uuid: uuid, password: "P@ssw0rd-amt")
        var faults = FirmwareFaults()
        faults.ignoreOptimizedEnumeration = firmwareKind == "ignores"
        faults.refuseOptimizedEnumeration = firmwareKind == "refuses"
        firmware.setFaults(faults)
        let device = try await bed.connect(uuid, firmware: firmware)
        let client = bed.client(uuid) { $0.optimizedEnumeration = firmwareKind != "off" }
        #expect(try await client.powerState() == 2)
        #expect(try await client.powerState() == 2)
        let calls = firmware.calls
        if firmwareKind == "refuses" {
            #expect(calls.map(\.method) == ["Enumerate", "Enumerate", "Pull", "Enumerate", "Pull"])
            #expect(calls.map(\.fault) == ["c:UnsupportedFeature", nil, nil, nil, nil])
        } else {
            #expect(calls.map(\.method) == ["Enumerate", "Pull", "Enumerate", "Pull"])
            #expect(calls.allSatisfy { $0.fault == nil })
        }
        await device.stop()
        await bed.server.stop()
    }

    @Test func onlyTheFirstRequestGoesWithoutCredentials() async throws {
        let bed = try await AMTTestBed.start()
        let uuid = amtTestUUID(17)
        let challenge = DigestChallenge(realm: "Digest:0123456789ABCDEF0123456789ABCDEF", nonce: "n0nce")
        let unauthorized = Mutex(0)
        let firmware = CannedFirmware { _, request in
            guard let header = request.headers["Authorization"], let auth = try? DigestAuthorization(headerValue: header),
                  auth.response == auth.expectedResponse(password: "P@ssw0rd-amt", method: "POST"), auth.username == "admin"
            else {
                unauthorized.withLock { $0 += 1 }
                var headers = HTTPHeaders()
                headers.add(name: "WWW-Authenticate", value: challenge.headerValue)
                return HTTPResponseMessage(status: 401, headers: headers).encode()
            }
            return generalSettingsReply()
        }
        let device = try await bed.connect(uuid, firmware: firmware)
        let client = bed.client(uuid)
        for _ in 0..<3 { _ = try await client.generalSettings() }
        #expect(unauthorized.withLock { $0 } == 1)
        #expect(firmware.requests.withLock { $0 } == 4)
        #expect(firmware.opens.withLock { $0 } == 1)
        await device.stop()
        await bed.server.stop()
    }

    @Test func concurrentCallsAreBoundedAndAllSucceed() async throws {
        let bed = try await AMTTestBed.start()
        let uuid = amtTestUUID(2)
        let firmware = CannedFirmware { _, _ in generalSettingsReply() }
        let device = try await bed.connect(uuid, firmware: firmware)
        let client = bed.client(uuid) { $0.maxConcurrentCalls = 2 }
        try await withThrowingTaskGroup(of: String?.self) { group in
            for _ in 0..<8 { group.addTask { try await client.generalSettings().generalSettings["HostName"]?.stringValue } }
            for try await name in group { #expect(name == "sim-host") }
        }
        #expect(firmware.requests.withLock { $0 } == 8)
        // At most two channels were ever needed (kept open and reused).
        #expect(firmware.opens.withLock { $0 } <= 2)
        await device.stop()
        await bed.server.stop()
    }

    @Test func deviceNotConnectedFailsAtOnce() async throws {
        let bed = try await AMTTestBed.start()
        let client = bed.client(amtTestUUID(3))
        let started = ContinuousClock.now
        let error = await #expect(throws: AMTError.self) { try await client.powerState() }
        #expect(error == .deviceNotConnected(guid: amtTestUUID(3).guidString.lowercased()))
        // Well below the 10 s call deadline: it failed at once instead of waiting (generous
        // bound: wall-clock asserts must not flake on a loaded CI machine).
        #expect(ContinuousClock.now - started < .seconds(5))
        await bed.server.stop()
    }

    @Test func portNotForwardedIsReported() async throws {
        let bed = try await AMTTestBed.start()
        let uuid = amtTestUUID(4)
        let device = try await bed.connect(
            uuid, firmware: AMTFirmware(uuid: uuid, password: "P@ssw0rd-amt"), forwardedPorts: [16993, 5900])
        let error = await #expect(throws: AMTError.self) { try await bed.client(uuid).powerState() }
        #expect(error == .portNotForwarded(guid: uuid.guidString.lowercased(), port: 16992))
        await device.stop()
        await bed.server.stop()
    }

    @Test func wrongPasswordIsAClearAuthError() async throws {
        let bed = try await AMTTestBed.start()
        let uuid = amtTestUUID(5)
        let firmware = AMTFirmware(uuid: uuid, password: "P@ssw0rd-amt")
        let device = try await bed.connect(uuid, firmware: firmware)
        let error = await #expect(throws: AMTError.self) { try await bed.client(uuid, password: "wrong").powerState() }
        #expect(error == .authenticationFailed(guid: uuid.guidString.lowercased()))
        #expect(error?.description.contains("wrong AMT password") == true)
        #expect(firmware.calls.isEmpty)
        await device.stop()
        await bed.server.stop()
    }

    @Test func soapFaultIsTyped() async throws {
        let bed = try await AMTTestBed.start()
        let uuid = amtTestUUID(6)
        let device = try await bed.connect(uuid, firmware: AMTFirmware(uuid: uuid, password: "P@ssw0rd-amt"))
        let error = await #expect(throws: AMTError.self) {
            try await bed.client(uuid).call(.get(WSManResource(.amt, "AMT_NoSuchClass"), messageID: "0"))
        }
        guard case .fault(let fault) = error else {
            Issue.record("expected a fault, got \(String(describing: error))")
            return
        }
        #expect(!fault.code.isEmpty)
        await device.stop()
        await bed.server.stop()
    }

    @Test(arguments: [
        ("malformed", httpWithBody("<a:Envelope><a:Body></b>")),
        ("truncated", httpWithBody("<a:Envelope xmlns:a=\"http://www.w3.org/2003/05/soap-envelope\"><a:Body><g:X")),
        ("not-soap", httpWithBody("<html></html>")),
    ])
    func unusableXMLIsAMalformedReply(_ name: String, _ bytes: [UInt8]) async throws {
        let bed = try await AMTTestBed.start()
        let uuid = amtTestUUID(7 + (name == "truncated" ? 1 : name == "not-soap" ? 2 : 0))
        let device = try await bed.connect(uuid, firmware: CannedFirmware { _, _ in bytes })
        let error = await #expect(throws: AMTError.self) { try await bed.client(uuid).generalSettings() }
        guard case .malformedReply = error else {
            Issue.record("\(name): expected malformedReply, got \(String(describing: error))")
            return
        }
        await device.stop()
        await bed.server.stop()
    }

    @Test func chunkedEncodingErrorsAreTyped() async throws {
        let bed = try await AMTTestBed.start()
        let uuid = amtTestUUID(10)
        let bad = rawHTTP("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nZZZZ\r\n<a/>\r\n0\r\n\r\n")
        let device = try await bed.connect(uuid, firmware: CannedFirmware { _, _ in bad })
        let error = await #expect(throws: AMTError.self) { try await bed.client(uuid).generalSettings() }
        guard case .badHTTP(let reason) = error else {
            Issue.record("expected badHTTP, got \(String(describing: error))")
            return
        }
        #expect(reason.contains("chunk"))
        await device.stop()
        await bed.server.stop()
    }

    @Test func aReplyCutOffByTheDeviceIsTyped() async throws {
        let bed = try await AMTTestBed.start()
        let uuid = amtTestUUID(16)
        let cut = rawHTTP("HTTP/1.1 200 OK\r\nContent-Length: 500\r\n\r\n<a:Envelope>")
        let device = try await bed.connect(uuid, firmware: CannedFirmware(closeAfterReply: true) { _, _ in cut })
        let error = await #expect(throws: AMTError.self) { try await bed.client(uuid).generalSettings() }
        #expect(error == .badHTTP(HTTPParseError.truncated.description))
        await device.stop()
        await bed.server.stop()
    }

    @Test func replyOverTheLimitIsRefused() async throws {
        let bed = try await AMTTestBed.start()
        let uuid = amtTestUUID(11)
        let device = try await bed.connect(uuid, firmware: CannedFirmware { _, _ in generalSettingsReply(hostName: String(repeating: "x", count: 8000)) })
        let error = await #expect(throws: AMTError.self) {
            try await bed.client(uuid) { $0.maxReplyBytes = 4096 }.generalSettings()
        }
        #expect(error == .replyTooLarge(limit: 4096))
        await device.stop()
        await bed.server.stop()
    }

    @Test func aDeviceThatNeverAnswersHitsTheDeadline() async throws {
        let bed = try await AMTTestBed.start()
        let uuid = amtTestUUID(12)
        var configuration = AMTFirmwareConfiguration(uuid: uuid, password: "P@ssw0rd-amt")
        configuration.faults.neverAnswer = true
        let device = try await bed.connect(uuid, firmware: AMTFirmware(configuration: configuration))
        let started = ContinuousClock.now
        let error = await #expect(throws: AMTError.self) {
            try await bed.client(uuid) { $0.callTimeout = .milliseconds(400) }.powerState()
        }
        guard case .timeout = error else {
            Issue.record("expected timeout, got \(String(describing: error))")
            return
        }
        let elapsed = ContinuousClock.now - started
        // The deadline ended it (not earlier), and it did not hang (generous upper bound).
        #expect(elapsed >= .milliseconds(400) && elapsed < .seconds(30))
        await device.stop()
        await bed.server.stop()
    }

    @Test func transientChannelRefusalsAreRetried() async throws {
        let bed = try await AMTTestBed.start()
        let uuid = amtTestUUID(13)
        var configuration = AMTFirmwareConfiguration(uuid: uuid, password: "P@ssw0rd-amt")
        configuration.faults.refuseChannelOpens = .resourceShortage
        configuration.faults.refuseFirstChannelOpens = 2
        let device = try await bed.connect(uuid, firmware: AMTFirmware(configuration: configuration))
        #expect(try await bed.client(uuid).powerState() == 2)
        await device.stop()
        await bed.server.stop()
    }

    @Test func persistentChannelRefusalsFailWithTheReason() async throws {
        let bed = try await AMTTestBed.start()
        let uuid = amtTestUUID(14)
        var configuration = AMTFirmwareConfiguration(uuid: uuid, password: "P@ssw0rd-amt")
        configuration.faults.refuseChannelOpens = .resourceShortage
        let device = try await bed.connect(uuid, firmware: AMTFirmware(configuration: configuration))
        let error = await #expect(throws: AMTError.self) {
            try await bed.client(uuid) { $0.channelOpenBackoff = .milliseconds(10) }.powerState()
        }
        guard case .channelUnavailable = error else {
            Issue.record("expected channelUnavailable, got \(String(describing: error))")
            return
        }
        await device.stop()
        await bed.server.stop()
    }

    @Test func aChannelClosedByTheDeviceIsReopened() async throws {
        let bed = try await AMTTestBed.start()
        let uuid = amtTestUUID(15)
        let firmware = CannedFirmware(closeAfterReply: true) { _, _ in generalSettingsReply() }
        let device = try await bed.connect(uuid, firmware: firmware)
        let client = bed.client(uuid)
        for _ in 0..<3 {
            #expect(try await client.generalSettings().generalSettings["HostName"] == "sim-host")
        }
        #expect(firmware.opens.withLock { $0 } == 3)
        await device.stop()
        await bed.server.stop()
    }
}
