import Foundation
import TestSupport

/// A test provisioning certificate made with the `openssl` CLI: a self-signed root and a leaf
/// it issued for `prov.<suffix>` with AMT's activation EKU (2.16.840.1.113741.1.2.3), exported
/// as a PFX with the chain, plus the root's SHA-256 (what AMT's trusted hashes hold).
struct ProvisioningFixture {
    let pfxBase64: String
    let password: String
    let rootSHA256: String

    static func make(suffix: String) async throws -> ProvisioningFixture {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("prov-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        func path(_ name: String) -> String { directory + "/" + name }
        let openssl = "/usr/bin/openssl"
        try await ChildProcess.checked(openssl, [
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", path("root.key"), "-out", path("root.pem"),
            "-days", "3650", "-subj", "/CN=Tether Test Provisioning Root",
            "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
        ])
        try await ChildProcess.checked(openssl, [
            "req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", path("leaf.key"), "-out", path("leaf.csr"),
            "-subj", "/CN=prov.\(suffix)",
        ])
        try "extendedKeyUsage=serverAuth,2.16.840.1.113741.1.2.3\n".write(toFile: path("leaf.ext"), atomically: true, encoding: .utf8)
        try await ChildProcess.checked(openssl, [
            "x509", "-req", "-in", path("leaf.csr"), "-CA", path("root.pem"), "-CAkey", path("root.key"), "-CAcreateserial",
            "-out", path("leaf.pem"), "-days", "365", "-sha256", "-extfile", path("leaf.ext"),
        ])
        let password = "Pfx-P@ss-\(UUID().uuidString.prefix(6))"
        try await ChildProcess.checked(openssl, [
            "pkcs12", "-export", "-inkey", path("leaf.key"), "-in", path("leaf.pem"), "-certfile", path("root.pem"),
            "-out", path("prov.pfx"), "-passout", "pass:\(password)",
        ])
        try await ChildProcess.checked(openssl, ["x509", "-in", path("root.pem"), "-outform", "DER", "-out", path("root.der")])
        let digest = try await ChildProcess.checked(openssl, ["dgst", "-sha256", "-r", path("root.der")])
        let hash = String(digest.prefix { $0 != " " }).lowercased()
        let pfx = try Data(contentsOf: URL(fileURLWithPath: path("prov.pfx")))
        return ProvisioningFixture(pfxBase64: pfx.base64EncodedString(), password: password, rootSHA256: hash)
    }
}
