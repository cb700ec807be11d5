import Foundation
import TetherTLS

/// What the simulated firmware checks before `AdminSetup` puts it in admin control mode: the
/// chain received with `AddNextCertInChain` links leaf → root, the root's SHA-256 is one of the
/// trusted provisioning hashes, the leaf is issued for a host in the device's DNS suffix, and
/// the signature over firmware nonce ‖ McNonce verifies with the leaf's key.
enum ProvisioningVerifier {
    static func verify(chain: [String], trustedHashes: [String], dnsSuffix: String, signed: [UInt8], signature: [UInt8]) -> Bool {
        let certificates = chain.compactMap { Data(base64Encoded: $0).map { Array($0) } }
        guard certificates.count == chain.count, let leaf = certificates.first, let root = certificates.last else { return false }
        guard Set(trustedHashes.map { $0.lowercased() }).contains(ProvisioningCertificate.sha256Hex(root)) else { return false }
        for index in 0..<(certificates.count - 1) where !ProvisioningCertificate.isIssued(certificates[index], by: certificates[index + 1]) {
            return false
        }
        if !dnsSuffix.isEmpty {
            guard let name = (try? CertificateSummary(derBase64: chain[0]))?.subjectCommonName?.lowercased(),
                  name == dnsSuffix.lowercased() || name.hasSuffix("." + dnsSuffix.lowercased())
            else { return false }
        }
        return ProvisioningCertificate.verify(signature: signature, of: signed, certificateDER: leaf)
    }
}
