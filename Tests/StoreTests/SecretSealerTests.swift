import Foundation
import Testing
@testable import Store

@Suite struct SecretSealerTests {
    @Test func roundTripAndFreshNonce() throws {
        let sealer = try SecretSealer(key: [UInt8](repeating: 7, count: 32))
        let a = try sealer.seal(Secret("P@ssw0rd"), context: "t.c")
        let b = try sealer.seal(Secret("P@ssw0rd"), context: "t.c")
        #expect(a != b)  // random nonce per seal
        #expect(a.first == SecretSealer.formatVersion)
        #expect(a.count == 1 + 12 + 8 + 16)
        #expect(try sealer.unsealSecret(a, context: "t.c").reveal() == "P@ssw0rd")
        #expect(try sealer.unseal(try sealer.seal(Data(), context: "x"), context: "x") == Data())
    }

    @Test func tamperWrongContextAndWrongKeyAreDetected() throws {
        let sealer = try SecretSealer(key: [UInt8](repeating: 1, count: 32))
        let sealed = try sealer.seal(Secret("Intel123!"), context: "devices.amt_password")
        for index in [1, 13, sealed.count - 1] {  // nonce, ciphertext, tag
            var bad = sealed
            bad[index] ^= 0x01
            #expect(throws: SecretError.tampered) { try sealer.unseal(bad, context: "devices.amt_password") }
        }
        #expect(throws: SecretError.tampered) { try sealer.unseal(sealed.prefix(20), context: "devices.amt_password") }
        #expect(throws: SecretError.tampered) { try sealer.unseal(sealed, context: "devices.mps_password") }
        var version = sealed
        version[0] = 9
        #expect(throws: SecretError.unsupportedFormat(version: 9)) { try sealer.unseal(version, context: "devices.amt_password") }
        let other = try SecretSealer(key: [UInt8](repeating: 2, count: 32))
        #expect(throws: SecretError.tampered) { try other.unseal(sealed, context: "devices.amt_password") }
        #expect(throws: SecretError.tampered) { try sealer.unseal(Data(), context: "x") }
    }

    @Test func secretNeverPrints() {
        let secret = Secret("hunter2-Secret!")
        #expect(secret.description == "<redacted>")
        #expect("\(secret)" == "<redacted>")
        #expect(!String(reflecting: secret).contains("hunter2"))
        var dumped = ""
        dump(secret, to: &dumped)
        #expect(!dumped.contains("hunter2"))
        let secrets = DeviceSecrets(amtPassword: secret)
        #expect(!"\(secrets)".contains("hunter2"))
    }

    @Test func keyFileIsCreatedWith0600AndReused() async throws {
        try await withTemporaryDirectory { dir in
            let first = try SecretSealer.loadOrCreate(in: dir)
            let path = dir.appendingPathComponent("secret.key").path
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
            #expect((attributes[.size] as? NSNumber)?.intValue == 32)
            let sealed = try first.seal(Secret("abc"), context: "c")
            let second = try SecretSealer.loadOrCreate(in: dir)
            #expect(try second.unsealSecret(sealed, context: "c").reveal() == "abc")
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.path)
            #expect(leftovers == ["secret.key"])
        }
    }

    @Test func corruptKeyFileIsReportedAndNeverOverwritten() async throws {
        try await withTemporaryDirectory { dir in
            let url = dir.appendingPathComponent("secret.key")
            let garbage = Data("too short".utf8)
            try garbage.write(to: url)
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: url.path)
            #expect {
                try TetherStore.open(dataDirectory: dir)
            } throws: { error in
                guard case SecretError.keyFileCorrupt(let path, let reason)? = error as? SecretError else { return false }
                return path == url.path && reason.contains("expected 32 bytes")
            }
            #expect(try Data(contentsOf: url) == garbage)
            // Nothing else was created: the database is not opened with an unusable key.
            #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("tether.sqlite").path))
        }
    }

    @Test func keyFileReadableByOthersIsRefused() async throws {
        try await withTemporaryDirectory { dir in
            let url = dir.appendingPathComponent("secret.key")
            let key = Data(repeating: 5, count: 32)
            try key.write(to: url)
            try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: url.path)
            #expect(throws: SecretError.keyFileInsecure(path: url.path, mode: 0o644)) {
                try SecretSealer.loadOrCreate(in: dir)
            }
            #expect(try Data(contentsOf: url) == key)
        }
    }

    @Test func unreadableKeyFileIsReported() async throws {
        try await withTemporaryDirectory { dir in
            // A directory where the key file should be: cannot be read as a key, must not be replaced.
            try FileManager.default.createDirectory(at: dir.appendingPathComponent("secret.key"), withIntermediateDirectories: false)
            #expect {
                try SecretSealer.loadOrCreate(in: dir)
            } throws: { error in
                if case SecretError.keyFileCorrupt? = error as? SecretError { return true }
                return false
            }
            var isDirectory: ObjCBool = false
            #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("secret.key").path, isDirectory: &isDirectory))
            #expect(isDirectory.boolValue)
        }
    }

    @Test func explicitKeyMustBe32Bytes() {
        #expect(throws: SecretError.self) { try SecretSealer(key: [1, 2, 3]) }
    }
}

/// Blobs sealed by the first implementation of format 1 (its own EVP calls, before the sealer
/// shared `TetherTLS.GCMContext` with the TLS record layer) still unseal: the format is pinned.
@Suite struct SecretSealerFormatTests {
    @Test func formatOneBlobsStillUnseal() throws {
        let sealer = try SecretSealer(key: (0..<32).map { UInt8($0) })
        let blob = try #require(Data(base64Encoded: "ARGVkfohBvk5YROWLgInFjbOWVcqVSuVgLCQ9S13YyE08jeW3xbrBrwv1I+SVUA="))
        #expect(try sealer.unseal(blob, context: "devices.amt_password") == Data("Intel123!-format-1".utf8))
        let empty = try #require(Data(base64Encoded: "Aeakn4KUjRWiZXDHgktWwM8zhCwoju9kwqaFsq8="))
        #expect(try sealer.unseal(empty, context: "") == Data())
        #expect(throws: SecretError.self) { try sealer.unseal(blob, context: "devices.mebx_password") }
    }
}
