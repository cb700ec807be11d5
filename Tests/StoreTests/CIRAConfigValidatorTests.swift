import Foundation
import Testing
@testable import Store

@Suite struct CIRAConfigValidatorTests {
    static let lenient = CIRAConfigValidator(requireParsableRootCertificate: false)

    static func valid() -> CIRAConfigDraft {
        CIRAConfigDraft(configName: "ciraconfig1", mpsServerAddress: "192.168.8.50", serverAddressFormat: 3, mpsPort: 4433,
                        username: "admin", commonName: "192.168.8.50", authMethod: 2, mpsRootCertificate: "rootcert")
    }

    private func messages(_ draft: CIRAConfigDraft, update: Bool = false) -> [String] {
        (update ? Self.lenient.validateUpdate(draft) : Self.lenient.validateCreate(draft)).map(\.message)
    }

    @Test func validConfigsPass() {
        #expect(messages(Self.valid()) == [])
        var fqdn = Self.valid()
        fqdn.serverAddressFormat = 201
        fqdn.mpsServerAddress = "MPS.Example.com"  // upper case accepted (RPS's lower-case-only regex is a bug)
        fqdn.commonName = nil
        #expect(messages(fqdn) == [])
        fqdn.mpsServerAddress = "10.0.0.1"  // IPv4 accepted for 201, as RPS does
        #expect(messages(fqdn) == [])
        var v6 = Self.valid()
        v6.serverAddressFormat = 4
        v6.commonName = nil
        for address in ["fe80::1", "::1", "2001:db8:0:0:0:0:0:1"] {
            v6.mpsServerAddress = address
            #expect(messages(v6) == [], "\(address)")
        }
        var port = Self.valid()
        for p in [1024, 49151] {
            port.mpsPort = p
            #expect(messages(port) == [])
            #expect(messages(port, update: true) == [])  // inclusive on update too (RPS: exclusive)
        }
    }

    @Test func everythingMissingGivesRPSMessagesInOrder() {
        #expect(messages(CIRAConfigDraft()) == [
            "CIRA profile name is required",
            "CIRA profile name accepts letters, numbers, special characters and no spaces",
            "MPS server address format is required",
            "MPS server address format should be either 3(IPV4) , 4(IPV6) or 201(FQDN)",
            "MPS server address is required",
            "MPS port is required",
            "MPS Port value should range between 1024 and 49151",
            "MPS user name is required",
            "MPS user name should be alphanumeric",
            "MPS user name length should be in between 5 to 16",
            "Authentication method is required",
            "Authentication method should be either 1 (Mutual Auth) or 2 (username and password)",
            "MPS public root certificate is required",
        ])
    }

    @Test func fieldRules() {
        func single(_ change: (inout CIRAConfigDraft) -> Void) -> [FieldError] {
            var draft = Self.valid()
            change(&draft)
            return Self.lenient.validateCreate(draft)
        }
        #expect(single { $0.configName = "cira config" } == [FieldError(field: "configName", message: "CIRA profile name accepts letters, numbers, special characters and no spaces")])
        #expect(single { $0.configName = "cira.config" }.count == 1)  // '.' is only allowed by RPS's `&-_` range bug
        #expect(single { $0.configName = "a@!%*#&-_~^Z9" } == [])
        #expect(single { $0.configName = String(repeating: "a", count: 65) }.map(\.field) == ["configName"])
        #expect(single { $0.serverAddressFormat = 401 } == [FieldError(field: "serverAddressFormat", message: "MPS server address format should be either 3(IPV4) , 4(IPV6) or 201(FQDN)")])
        #expect(single { $0.mpsServerAddress = "256.1.1.1" } == [FieldError(field: "mpsServerAddress", message: "serverAddressFormat 3 requires IPV4 server address")])
        #expect(single { $0.mpsServerAddress = "mps.example.com" }.map(\.message) == ["serverAddressFormat 3 requires IPV4 server address"])
        #expect(single { $0.commonName = nil } == [FieldError(field: "mpsServerAddress", message: "commonName is required when serverAddressFormat is 3")])
        #expect(single { $0.serverAddressFormat = 4 }.map(\.message) == ["serverAddressFormat 4 requires IPV6 server address"])
        #expect(single { $0.serverAddressFormat = 4; $0.mpsServerAddress = "fe80::1"; $0.commonName = "host.example.com" }.map(\.message) == ["Cert. Hostname(CN) should be an IP address."])
        #expect(single { $0.serverAddressFormat = 201; $0.mpsServerAddress = "localhost"; $0.commonName = nil }.map(\.message) == ["serverAddressFormat 201 requires FQDN server address"])
        #expect(single { $0.serverAddressFormat = 201; $0.mpsServerAddress = "-bad-.example.com" }.map(\.message) == ["serverAddressFormat 201 requires FQDN server address"])
        #expect(single { $0.serverAddressFormat = 201; $0.mpsServerAddress = "mps.example.com"; $0.commonName = "not an ip" } == [])  // CN unchecked for FQDN
        #expect(single { $0.mpsPort = 1023 } == [FieldError(field: "mpsPort", message: "MPS Port value should range between 1024 and 49151")])
        #expect(single { $0.mpsPort = 49152 }.count == 1)
        #expect(single { $0.username = "adm!n" }.map(\.message) == ["MPS user name should be alphanumeric"])
        #expect(single { $0.username = "adm" }.map(\.message) == ["MPS user name length should be in between 5 to 16"])
        #expect(single { $0.username = "a23456789012345678" }.map(\.message) == ["MPS user name length should be in between 5 to 16"])
        #expect(single { $0.commonName = "mps.example.com" } == [FieldError(field: "commonName", message: "Cert. Hostname(CN) should be an IP address.")])
        #expect(single { $0.authMethod = 3 } == [FieldError(field: "authMethod", message: "Authentication method should be either 1 (Mutual Auth) or 2 (username and password)")])
        #expect(single { $0.authMethod = nil }.map(\.message) == [
            "Authentication method is required",
            "Authentication method should be either 1 (Mutual Auth) or 2 (username and password)",
        ])
        #expect(single { $0.password = String(repeating: "a", count: 17) }.map(\.field) == ["password"])
        #expect(single { $0.password = "sOK1A4Wh$rtp!FB2" } == [])
    }

    @Test func rootCertificateMustParseWhenRequired() throws {
        var draft = Self.valid()
        let strict = CIRAConfigValidator()
        #expect(strict.validateCreate(draft) == [FieldError(field: "mpsRootCertificate", message: "MPS public root certificate must be a base64-encoded DER certificate")])
        try withTemporaryDirectorySync { dir in
            draft.mpsRootCertificate = try makeRootCertificateBase64(in: dir)
        }
        #expect(strict.validateCreate(draft) == [])
    }

    @Test func updateRules() {
        #expect(messages(CIRAConfigDraft(configName: "c"), update: true) == [])
        #expect(messages(CIRAConfigDraft(), update: true) == ["CIRA profile name is required", "CIRA profile name accepts letters, numbers, special characters and no spaces"])
        #expect(messages(CIRAConfigDraft(configName: "c", serverAddressFormat: 5), update: true) == [
            "MPS server address format 3(IPV4) , 4(IPV6) or 201(FQDN)", "Server address is required to update",
        ])
        #expect(messages(CIRAConfigDraft(configName: "c", mpsServerAddress: "10.0.0.1"), update: true) == ["serverAddressFormat is required"])
        #expect(messages(CIRAConfigDraft(configName: "c", commonName: "10.0.0.1"), update: true) == ["serverAddressFormat and mpsServerAddress is required"])
        #expect(messages(CIRAConfigDraft(configName: "c", authMethod: 0), update: true) == ["Authentication method accepts either 1 - Mutual Auth or 2 -username/password)"])
        #expect(messages(CIRAConfigDraft(configName: "c", mpsPort: 80, username: "ab"), update: true) == [
            "MPS Port value should range between 1024 and 49151", "MPS user name length should be in between 5 to 16",
        ])
    }

    @Test func addressRules() {
        #expect(AddressRules.isIPv4("001.2.3.4"))
        #expect(!AddressRules.isIPv4("1.2.3"))
        #expect(!AddressRules.isIPv4("1.2.3.4.5"))
        #expect(!AddressRules.isIPv4("1.2.3.x"))
        #expect(!AddressRules.isIPv4("1.2.3.1000"))
        #expect(AddressRules.isIPv6("::1"))
        #expect(!AddressRules.isIPv6("fe80::1zzz"))
        #expect(!AddressRules.isIPv6("1.2.3.4"))
        #expect(AddressRules.isFQDN("xn--bcher-kva.example"))
        #expect(!AddressRules.isFQDN("example.c"))
        #expect(!AddressRules.isFQDN("a..com"))
        #expect(!AddressRules.isFQDN(String(repeating: "a", count: 64) + ".com"))
    }
}

func withTemporaryDirectorySync(_ body: (URL) throws -> Void) throws {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("store-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: url) }
    try body(url)
}
