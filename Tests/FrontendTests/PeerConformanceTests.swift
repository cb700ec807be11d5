import Foundation
import Testing
import TestSupport

/// Runs Open AMT's own RPS API test collection (../shared/peer-tests, when present, with node),
/// every folder,
/// against a real host and fails on any failing case that is not one of the documented,
/// deliberate differences (README "Where the peer is wrong and Tether differs").
@Suite struct PeerConformanceTests {
    /// Request names whose checks are expected to fail, with why.
    static let expectedFailures: [String: String] = [
        "CIRA / Create CIRA Config without MPS Cert": "Tether fills in its own MPS root certificate when omitted",
        "CIRA / Create CIRA Config": "cascade: the previous case already created ciraconfig2",
        "CIRA / Get CIRA Config with different config name case": "cascade: returns this host's root, not the placeholder",
        "Domains / Update Domain Suffix": "the collection's certificate expired in 2023; RPS skips PATCH checks",
        "Domains / Update Domain Suffix returns Conflict": "same certificate: validation precedes the version check",
        "Domains / Update Domain Suffix returns Precondition": "same certificate: validation precedes the version check",
        "Domains / Update Domain Cert Password with password length greater than 64": "cascade: {{domainVersion}} never set",
        "Domains / Update Domain Certificate": "cascade, and its certificate does not match the suffix",
        "Profiles / Check Certificate in Vault": "a GET with a body, which node's fetch refuses",
    ]

    static var peerTests: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("shared/peer-tests")
    }

    static var node: String? {
        ["/usr/bin/node", "/usr/local/bin/node"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    @Test(.enabled(if: node != nil && FileManager.default.fileExists(atPath: peerTests.appendingPathComponent("run-postman.js").path)))
    func openAMTCollectionPassesExceptDocumentedDifferences() async throws {
        let host = try await RESTTestHost.start()
        let token = try await host.token()
        let result = try await ChildProcess.run(
            try #require(Self.node),
            [
                Self.peerTests.appendingPathComponent("run-postman.js").path,
                Self.peerTests.appendingPathComponent("rps.postman_collection.json").path,
                "--base", host.base.absoluteString, "--token", token,
            ], timeout: .seconds(600))
        let output = result.stdout + result.stderr
        await host.stop()

        let lines = output.split(separator: "\n").map(String.init)
        let failing = Set(lines.filter { $0.hasPrefix("FAIL ") }.map { line in
            String(line.dropFirst(5).components(separatedBy: " :: ").first ?? "")
        })
        let unexpected = failing.subtracting(Self.expectedFailures.keys)
        #expect(unexpected.isEmpty, "unexpected peer-test failures: \(unexpected.sorted())\n\(output.suffix(4000))")
        let passed = lines.filter { $0.hasPrefix("ok ") }.count
        #expect(passed >= 421, "only \(passed) peer checks passed")
    }
}
