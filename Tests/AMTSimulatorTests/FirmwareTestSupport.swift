import APF
import Foundation
import NIOCore
import NIOEmbedded
import Synchronization
import Testing
import WSMan
@testable import AMTSimulator

/// A settable clock for nonce expiry.
final class TestClock: Sendable {
    private let current = Mutex(Date(timeIntervalSince1970: 1_700_000_000))
    var now: Date { current.withLock { $0 } }
    func advance(_ seconds: TimeInterval) { current.withLock { $0 += seconds } }
}

/// What the firmware wrote to one channel.
final class Wire: Sendable {
    let bytes = Mutex<[UInt8]>([])
    let closed = Mutex(false)
}

/// One channel into the firmware, driven synchronously on an embedded event loop.
final class TestChannel {
    let connection: any FirmwareConnection
    let wire = Wire()
    let loop: EmbeddedEventLoop
    private var consumed = 0
    private var parser = HTTPResponseParser()

    init(connection: any FirmwareConnection, loop: EmbeddedEventLoop) {
        self.connection = connection
        self.loop = loop
        let wire = self.wire
        connection.start(output: FirmwareOutput(
            eventLoop: loop,
            sendBytes: { bytes in wire.bytes.withLock { $0 += bytes } },
            closeChannel: { wire.closed.withLock { $0 = true } }))
    }

    func send(_ bytes: [UInt8]) {
        connection.received(bytes)
        loop.run()
    }

    var isClosed: Bool { wire.closed.withLock { $0 } }
    var rawOutput: [UInt8] { wire.bytes.withLock { $0 } }

    /// Responses completed since the last call.
    func responses() throws -> [HTTPResponseMessage] {
        let all = rawOutput
        parser.append(all[consumed...])
        consumed = all.count
        var out: [HTTPResponseMessage] = []
        while let response = try parser.nextResponse() { out.append(response) }
        return out
    }
}

/// Firmware plus a minimal MPS-like WS-Man client (digest, new channel after a 401).
final class FirmwareHarness {
    let firmware: AMTFirmware
    let clock = TestClock()
    let loop = EmbeddedEventLoop()
    var credentials: DigestCredentials
    private var channel: TestChannel?
    private var nextMessageID = 0
    static let uuid = AMTUUID(guidString: "4c4c4544-004b-4210-8033-b6c04f504633")!

    init(profile: FirmwareProfile = .amt16, password: String = "P@ssw0rd!", clientPassword: String? = nil,
         configure: (inout AMTFirmwareConfiguration) -> Void = { _ in }) {
        var configuration = AMTFirmwareConfiguration(uuid: Self.uuid, password: password, profile: profile)
        let clock = self.clock
        configuration.clock = { clock.now }
        configure(&configuration)
        firmware = AMTFirmware(configuration: configuration)
        credentials = DigestCredentials(username: "admin", password: clientPassword ?? password)
    }

    func open() throws -> TestChannel {
        switch firmware.connect(port: AMTFirmware.wsmanPort) {
        case .success(let connection): return TestChannel(connection: connection, loop: loop)
        case .failure(let refusal): throw refusal
        }
    }

    func messageID() -> String {
        defer { nextMessageID += 1 }
        return String(nextMessageID)
    }

    func httpRequest(_ body: [UInt8], extraHeaders: [(String, String)] = []) -> HTTPRequestMessage {
        var request = HTTPRequestMessage.wsmanPost(
            host: "\(Self.uuid.guidString):16992", body: body, authorization: credentials.authorization(), contentType: nil)
        for (name, value) in extraHeaders { request.headers.add(name: name, value: value) }
        return request
    }

    /// Sends one request like the MPS: on a 401, takes the challenge, opens a new channel and
    /// retries (at most 3 times). Returns the final response and every status seen.
    @discardableResult
    func exchange(_ request: WSManRequest) throws -> (response: HTTPResponseMessage, statuses: [Int]) {
        var statuses: [Int] = []
        for _ in 0..<4 {
            if channel == nil || channel!.isClosed { channel = try open() }
            let current = channel!
            current.send(httpRequest(request.utf8).encode())
            guard let response = try current.responses().first else { throw HarnessError.noResponse }
            statuses.append(response.status)
            guard response.status == 401 else { return (response, statuses) }
            if let challenge = try DigestChallenge.find(in: response.headers) { credentials.accept(challenge) }
        }
        throw HarnessError.unauthorized(statuses)
    }

    /// Exchanges and parses the SOAP envelope.
    func call(_ request: WSManRequest) throws -> WSManEnvelope {
        let (response, _) = try exchange(request)
        return try WSManEnvelope(bytes: response.body)
    }

    /// Enumerate + Pull.
    func enumerate(_ resource: WSManResource) throws -> [WSManInstance] {
        let context = try #require(try call(.enumerate(resource, messageID: messageID())).enumerationContext)
        return try call(.pull(resource, context: context, messageID: messageID())).pullItems
    }
}

enum HarnessError: Error {
    case noResponse
    case unauthorized([Int])
}

