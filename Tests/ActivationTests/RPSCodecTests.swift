import Activation
import Foundation
import Testing

@Suite("RPS envelope, payload and method codec")
struct RPSCodecTests {
    static let uuid = "4c4c4544-005a-3510-804b-b4c04f564433"

    @Test("an rpc-go activation request decodes: method, payload fields, tenant")
    func decodesRPCRequest() throws {
        let payload = DevicePayload(
            ver: "11.8.50", build: "3425", sku: "16392", uuid: Self.uuid, username: "$$OsAdmin", password: "KQGnH+N5qJ8YLqjEFJMnGSgcnFLMv0Tk",
            currentMode: 0, hostname: "DESKTOP-9CC12U7", fqdn: "vprodemo.com",
            certHashes: ["e7685634efacf69ace939a6b255b7b4fabef42935b50a265acb5cb6027e44e70"])
        let text = """
        {"method":"activate --profile profile1","apiKey":"key","appVersion":"v2.x","protocolVersion":"4.0.0",
         "status":"ok","message":"ok","fqdn":"","payload":"\(payload.encodedBase64())","tenantId":""}
        """
        let message = try RPSMessage.decode(text)
        #expect(message.method == "activate --profile profile1")
        #expect(message.tenantId == "")
        let decoded = try DevicePayload.decode(fromBase64: message.payload)
        #expect(decoded == payload)
        #expect(decoded.guid == Self.uuid)
        #expect(try RPSCommand.parse(message.method, uuid: decoded.uuid) == .activate(profile: "profile1", force: false))
    }

    @Test("replies keep payload:null and the status JSON as a string, as rpc-go expects")
    func encodesReplies() throws {
        let success = RPSMessage.success(ActivationStatusReport(status: "Client control mode.", ciraConnection: "Configured"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(success.encoded().utf8)) as? [String: Any])
        #expect(object["method"] as? String == "success")
        #expect(object["status"] as? String == "success")
        #expect(object["payload"] is NSNull)
        #expect(object["message"] as? String == #"{"CIRAConnection":"Configured","Status":"Client control mode."}"#)
        let wsman = RPSMessage.wsman(Array("POST /wsman HTTP/1.1\r\n\r\n".utf8))
        #expect(wsman.payloadBytes == Array("POST /wsman HTTP/1.1\r\n\r\n".utf8))
        #expect(try RPSMessage.decode(wsman.encoded()) == wsman)
    }

    @Test("protocol version: RPS's compatibility rule", arguments: [
        ("4.0.0", true), ("4.0.1", false), ("4.1.0", false), ("3.0.0", false), ("5.0.0", false),
        ("4.0", false), ("x.y.z", false), ("", false), ("4.0.0.0", false),
    ])
    func protocolVersion(_ version: String, _ compatible: Bool) {
        #expect(RPSProtocolVersion.isCompatible(version) == compatible)
    }

    @Test("a newer server accepts older minor versions and revisions")
    func olderClients() {
        #expect(RPSProtocolVersion.isCompatible("4.0.0", server: "4.2.0"))
        #expect(RPSProtocolVersion.isCompatible("4.1.3", server: "4.1.5"))
        #expect(!RPSProtocolVersion.isCompatible("4.1.6", server: "4.1.5"))
    }

    @Test("bad payloads get RPS's error texts", arguments: [
        ("not base64 at all %%%", "Failed to parse client message payload"),
        (Data("[1,2]".utf8).base64EncodedString(), "Failed to parse client message payload"),
        (Data(#"{"build":"1","uuid":"4c4c4544-005a-3510-804b-b4c04f564433","client":"RPC"}"#.utf8).base64EncodedString(), "missing 'ver'"),
        (Data(#"{"ver":"16.1","build":"1","uuid":"4c4c4544","client":"RPC"}"#.utf8).base64EncodedString(), "uuid not valid length"),
        ("", "payload is empty"),
    ])
    func badPayload(_ base64: String, _ expected: String) {
        #expect {
            _ = try DevicePayload.decode(fromBase64: base64)
        } throws: { error in
            (error as? ActivationProtocolError)?.message.contains(expected) == true
        }
    }

    @Test("junk text frames are malformed messages, never crashes")
    func junkMessages() {
        for junk in ["", "{", "[]", #"{"method": 5}"#, "null", String(repeating: "{", count: 10_000)] {
            #expect(throws: ActivationProtocolError.self) { _ = try RPSMessage.decode(junk) }
        }
    }

    @Test("method strings: activate, deactivate, maintenance; unknown verbs refused")
    func methods() throws {
        #expect(try RPSCommand.parse("activate  --profile  p1 -f", uuid: Self.uuid) == .activate(profile: "p1", force: true))
        #expect(try RPSCommand.parse("deactivate --password P@ss -f", uuid: Self.uuid) == .deactivate(password: "P@ss", force: true))
        #expect(try RPSCommand.parse("maintenance -password X --synctime", uuid: Self.uuid)
            == .maintenance(task: .syncClock, password: "X", force: false))
        #expect(try RPSCommand.parse("maintenance --password X --changepassword N3w!", uuid: Self.uuid)
            == .maintenance(task: .changePassword(newPassword: "N3w!"), password: "X", force: false))
        #expect(throws: ActivationProtocolError.unsupportedMethod(uuid: Self.uuid, method: "activation")) {
            _ = try RPSCommand.parse("activation --profile p", uuid: Self.uuid)
        }
        #expect(throws: ActivationProtocolError.self) { _ = try RPSCommand.parse("activate", uuid: Self.uuid) }
    }

    @Test("random passwords are 16 characters and strong")
    func randomPasswords() {
        var seen = Set<String>()
        for _ in 0..<200 {
            let password = RandomPassword.make()
            #expect(password.count == 16)
            #expect(RandomPassword.isStrong(password))
            seen.insert(password)
        }
        #expect(seen.count == 200)
    }
}
