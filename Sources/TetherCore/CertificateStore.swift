import Foundation
import Store
import TetherTLS

/// Keeps the host's certificate authority in `<data-dir>/certs`: certificates as PEM, private
/// keys sealed with the store's key (AES-256-GCM). Generates on first start and re-issues the
/// server certificate by itself when the configured common name changes.
struct CertificateStore {
    let directory: URL
    let sealer: SecretSealer

    private var rootCertificate: URL { directory.appendingPathComponent("mps-root.pem") }
    private var rootKey: URL { directory.appendingPathComponent("mps-root.key.sealed") }
    private var serverCertificate: URL { directory.appendingPathComponent("server.pem") }
    private var serverKey: URL { directory.appendingPathComponent("server.key.sealed") }

    /// The authority for `commonName`, loading, generating or re-issuing as needed. Returns
    /// what happened for the log.
    func loadOrCreate(commonName: String) throws -> (authority: CertificateAuthority, event: String) {
        let fm = FileManager.default
        try fm.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        guard fm.fileExists(atPath: rootCertificate.path) else {
            let authority = try CertificateAuthority.generate(commonName: commonName)
            try save(authority)
            return (authority, "generated a new MPS root CA and a server certificate for \(commonName)")
        }
        let loaded = try CertificateAuthority(
            rootCertificatePEM: try String(contentsOf: rootCertificate, encoding: .utf8),
            rootPrivateKeyPEM: try unseal(rootKey, context: "ca.root-key"),
            serverCertificatePEM: try String(contentsOf: serverCertificate, encoding: .utf8),
            serverPrivateKeyPEM: try unseal(serverKey, context: "ca.server-key"))
        guard loaded.commonName == commonName else {
            let reissued = try loaded.reissuingServerCertificate(commonName: commonName)
            try save(reissued)
            return (reissued, "re-issued the server certificate for \(commonName) (was \(loaded.commonName))")
        }
        return (loaded, "loaded the MPS root CA and server certificate for \(commonName)")
    }

    /// Writes the authority (e.g. after a re-issue), keys sealed.
    func save(_ authority: CertificateAuthority) throws {
        try write(Data(authority.rootCertificatePEM.utf8), to: rootCertificate)
        try write(sealer.seal(Data(authority.rootPrivateKeyPEM.utf8), context: "ca.root-key"), to: rootKey)
        try write(Data(authority.serverCertificatePEM.utf8), to: serverCertificate)
        try write(sealer.seal(Data(authority.serverPrivateKeyPEM.utf8), context: "ca.server-key"), to: serverKey)
    }

    private func write(_ data: Data, to url: URL) throws {
        try data.write(to: url, options: .atomic)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: url.path)
    }

    private func unseal(_ url: URL, context: String) throws -> String {
        String(decoding: try sealer.unseal(try Data(contentsOf: url), context: context), as: UTF8.self)
    }
}
