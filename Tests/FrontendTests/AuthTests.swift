import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing
import TetherJSON
@testable import TetherCore

@Suite struct AuthTests {
    @Test func missingForgedAndExpiredTokensAreRefused() async throws {
        let bed = try await sharedHost.value
        let valid = try await bed.token()
        #expect(try await bed.request("GET", "/api/v1/devices/stats", token: valid).status == 200)

        #expect(try await bed.request("GET", "/api/v1/devices/stats").status == 401)
        #expect(try await bed.request("GET", "/api/v1/devices/stats", headers: ["Authorization": "Basic YWRtaW46eA=="]).status == 401)
        #expect(try await bed.request("GET", "/api/v1/devices/stats", token: "not.a.jwt").status == 401)

        // Same claims, signed with another key.
        let forged = WebTokenSigner(secret: Array(repeating: 7, count: 32)).issue(subject: "admin", lifetime: .seconds(3600))
        #expect(try await bed.request("GET", "/api/v1/devices/stats", token: forged).status == 401)

        // The host's own key, but expired an hour ago.
        let key = try Data(contentsOf: URL(fileURLWithPath: bed.dataDirectory + "/http-token.key"))
        let signer = WebTokenSigner(secret: Array(key))
        let expired = signer.issue(subject: "admin", lifetime: .seconds(60), now: Date().addingTimeInterval(-3600))
        #expect(try await bed.request("GET", "/api/v1/devices/stats", token: expired).status == 401)
        // The host's key and unexpired, but not bound to the current credential generation.
        let unbound = signer.issue(subject: "admin", lifetime: .seconds(60))
        let refused = try await bed.request("GET", "/api/v1/devices/stats", token: unbound)
        #expect(refused.status == 401)
        // Terse: the body does not say which check failed.
        #expect(!refused.text.contains("generation") && !refused.text.contains("expired") && !refused.text.contains("signature"))

        // alg=none with the valid token's claims.
        let parts = valid.split(separator: ".")
        let none = Base64URL.encode(Array(#"{"alg":"none","typ":"JWT"}"#.utf8)) + "." + parts[1] + "."
        #expect(try await bed.request("GET", "/api/v1/devices/stats", token: none).status == 401)
    }

    @Test func authorizeChecksCredentialsAndBody() async throws {
        let bed = try await sharedHost.value
        let wrong = try await bed.request("POST", "/api/v1/authorize", json: ["username": "admin", "password": "nope"])
        #expect(wrong.status == 401)
        #expect(wrong.json?["message"] == "Incorrect Username and/or Password!")
        let upper = try await bed.request("POST", "/api/v1/authorize", json: ["username": "ADMIN", "password": .string(adminPassword)])
        #expect(upper.status == 200)
        let missing = try await bed.request("POST", "/api/v1/authorize", json: ["password": "x"])
        #expect(missing.status == 400)
        let messages = missing.json?["errors"]?.arrayValue?.compactMap { $0["msg"]?.stringValue } ?? []
        #expect(messages.contains("User name is required"))
        // Only POST exists (Express answers other verbs with 404).
        #expect(try await bed.request("GET", "/api/v1/authorize").status == 404)
    }

    @Test func publicRoutesNeedNoToken() async throws {
        let bed = try await sharedHost.value
        let version = try await bed.request("GET", "/api/v1/version")
        #expect(version.status == 200)
        #expect(version.json?["serviceVersion"]?.stringValue?.isEmpty == false)
        let health = try await bed.request("GET", "/api/v1/health")
        #expect(health.status == 200)
        #expect(health.json?["db"]?["status"] == "OK")
    }

    @Test func generatedPasswordIsStoredOnlyAsASaltedHash() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tether-cred-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let recorder = LogRecorder()
        let logger = recorder.logger()
        let first = try AdminCredentials.resolve(environment: [:], configured: (nil, nil), dataDirectory: directory, logger: logger)
        let logged = try #require(recorder.passwords.first, "the generated password was not logged")
        #expect(recorder.passwords.count == 1)
        let stored = try String(contentsOf: directory.appendingPathComponent(AdminCredentials.fileName), encoding: .utf8)
        #expect(!stored.contains(logged))
        let attributes = try FileManager.default.attributesOfItem(atPath: directory.appendingPathComponent(AdminCredentials.fileName).path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        #expect(first.matches(username: "admin", password: logged))
        // Second start: read back, nothing logged again, same password still works.
        let second = try AdminCredentials.resolve(environment: [:], configured: (nil, nil), dataDirectory: directory, logger: logger)
        #expect(recorder.passwords.count == 1)
        #expect(second.matches(username: "Admin", password: logged))
        #expect(!second.matches(username: "admin", password: logged + "x"))
        // The environment wins over the file.
        let env = try AdminCredentials.resolve(
            environment: ["TETHER_ADMIN_USER": "ops", "TETHER_ADMIN_PASSWORD": "pw-from-env"], configured: ("cfg", "pw-from-config"),
            dataDirectory: directory, logger: logger)
        #expect(env.matches(username: "ops", password: "pw-from-env"))
        #expect(!env.matches(username: "admin", password: logged))
        // The host's configuration comes next, before the file.
        let configured = try AdminCredentials.resolve(
            environment: [:], configured: ("cfg", "pw-from-config"), dataDirectory: directory, logger: logger)
        #expect(configured.matches(username: "cfg", password: "pw-from-config"))
    }

    /// The admin credentials file and the token key must be born 0600: written, then chmodded
    /// (FileManager.createFile(attributes:)), they are readable per the umask for a moment.
    @Test func secretFilesAreNeverCreatedWithLooseModes() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tether-mode-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let watch = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        try #require(watch >= 0)
        defer { close(watch) }
        try #require(inotify_add_watch(watch, directory.path, UInt32(IN_ATTRIB | IN_MOVED_TO)) >= 0)
        _ = try AdminCredentials.resolve(environment: [:], configured: (nil, nil), dataDirectory: directory, logger: LogRecorder().logger())
        _ = try TetherHost.tokenSecret(in: directory)
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = read(watch, &buffer, buffer.count)
        // No event: each file was created in place with its final mode (no rename, no chmod).
        #expect(count < 0, "the secret files were renamed into place or had their mode changed after being written")
        for name in [AdminCredentials.fileName, "http-token.key"] {
            let attributes = try FileManager.default.attributesOfItem(atPath: directory.appendingPathComponent(name).path)
            #expect((attributes[.posixPermissions] as? Int) == 0o600)
        }
    }
}
