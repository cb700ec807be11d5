import COpenSSL
import Foundation

/// The parts of an X.509 certificate that Tether shows, compares or checks. An immutable value,
/// `Sendable`; build it from PEM, from base64 DER (the CIRA "MPS root certificate" field) or
/// internally from a live OpenSSL certificate.
public struct CertificateSummary: Sendable, Equatable {
    /// One subjectAltName entry Tether understands.
    public enum AlternativeName: Sendable, Hashable, CustomStringConvertible {
        case dns(String)
        case ipAddress(String)

        public var description: String {
            switch self {
            case .dns(let name): return "DNS:\(name)"
            case .ipAddress(let address): return "IP:\(address)"
            }
        }
    }

    /// Subject CN, if any.
    public let subjectCommonName: String?
    /// Issuer CN, if any.
    public let issuerCommonName: String?
    public let notBefore: Date
    public let notAfter: Date
    /// DNS and IP subjectAltNames (other kinds are ignored).
    public let alternativeNames: [AlternativeName]
    /// `true` when basicConstraints says CA:TRUE.
    public let isCertificateAuthority: Bool
    /// SHA-256 over the DER encoding, lowercase hex without separators.
    public let fingerprintSHA256: String
    /// Base64 of the DER encoding on one line (no PEM armour).
    public let derBase64: String

    /// Summarises the first certificate in `pem`.
    public init(pem: String) throws(TLSError) {
        try self.init(certificate: X509Certificate.parse(pem: pem))
    }

    /// Summarises a certificate given as base64 DER; whitespace is ignored.
    public init(derBase64: String) throws(TLSError) {
        let compact = derBase64.filter { !$0.isWhitespace }
        guard let data = Data(base64Encoded: compact) else {
            throw TLSError.invalidCertificate("the certificate text is not valid base64")
        }
        try self.init(certificate: X509Certificate.parse(der: [UInt8](data)))
    }

    init(certificate: X509Certificate) throws(TLSError) {
        try self.init(x509: certificate.pointer)
    }

    /// Reads a certificate OpenSSL owns (not retained beyond this call).
    init(x509: OpaquePointer) throws(TLSError) {
        subjectCommonName = CertificateSummary.commonName(of: X509_get_subject_name(x509))
        issuerCommonName = CertificateSummary.commonName(of: X509_get_issuer_name(x509))
        guard let before = CertificateSummary.date(X509_get0_notBefore(x509)),
              let after = CertificateSummary.date(X509_get0_notAfter(x509))
        else {
            throw TLSError.invalidCertificate("the certificate has an unreadable validity period")
        }
        notBefore = before
        notAfter = after
        alternativeNames = CertificateSummary.alternativeNames(of: x509)
        isCertificateAuthority = X509_check_ca(x509) > 0

        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var digestLength: UInt32 = 0
        guard X509_digest(x509, EVP_sha256(), &digest, &digestLength) == 1 else {
            throw TLSError.invalidCertificate("cannot compute the certificate fingerprint")
        }
        fingerprintSHA256 = digest.prefix(Int(digestLength)).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
        derBase64 = try Data(X509Certificate(borrowing: x509).der()).base64EncodedString()
    }

    /// `true` when `name` equals the subject CN or one subjectAltName (case-insensitive for DNS
    /// names; IP addresses compare by value; a `*.` DNS entry matches one leftmost label).
    public func matches(name: String) -> Bool {
        let wanted = name.lowercased()
        if let ip = IPAddressText.normalized(name) {
            if subjectCommonName.flatMap(IPAddressText.normalized) == ip { return true }
            return alternativeNames.contains { $0 == .ipAddress(ip) }
        }
        if subjectCommonName?.lowercased() == wanted { return true }
        for case .dns(let dns) in alternativeNames {
            let pattern = dns.lowercased()
            if pattern == wanted { return true }
            if pattern.hasPrefix("*."), let dot = wanted.firstIndex(of: "."),
               wanted[dot...] == pattern.dropFirst(), wanted[..<dot].isEmpty == false {
                return true
            }
        }
        return false
    }

    static func commonName(of name: OpaquePointer?) -> String? {
        guard let name else { return nil }
        let index = X509_NAME_get_index_by_NID(name, NID_commonName, -1)
        guard index >= 0,
              let entry = X509_NAME_get_entry(name, index),
              let data = X509_NAME_ENTRY_get_data(entry)
        else { return nil }
        return asn1String(data)
    }

    /// UTF-8 text of an ASN1_STRING of any string type.
    static func asn1String(_ string: UnsafePointer<ASN1_STRING>) -> String? {
        var utf8: UnsafeMutablePointer<UInt8>?
        let length = ASN1_STRING_to_UTF8(&utf8, string)
        guard length >= 0, let utf8 else { return nil }
        defer { tether_OPENSSL_free(utf8) }
        return String(decoding: UnsafeBufferPointer(start: utf8, count: Int(length)), as: UTF8.self)
    }

    static func date(_ time: UnsafePointer<ASN1_TIME>?) -> Date? {
        guard let time else { return nil }
        var parts = tm()
        guard ASN1_TIME_to_tm(time, &parts) == 1 else { return nil }
        return Date(timeIntervalSince1970: TimeInterval(timegm(&parts)))
    }

    static func alternativeNames(of x509: OpaquePointer) -> [AlternativeName] {
        guard let raw = X509_get_ext_d2i(x509, NID_subject_alt_name, nil, nil) else { return [] }
        let stack = OpaquePointer(raw)
        defer { GENERAL_NAMES_free(stack) }
        var result: [AlternativeName] = []
        let count = OPENSSL_sk_num(stack)
        guard count > 0 else { return [] }
        for index in 0..<count {
            guard let element = OPENSSL_sk_value(stack, index) else { continue }
            let general = element.assumingMemoryBound(to: GENERAL_NAME.self).pointee
            switch general.type {
            case GEN_DNS:
                if let ia5 = general.d.dNSName, let text = asn1String(ia5) {
                    result.append(.dns(text))
                }
            case GEN_IPADD:
                if let octets = general.d.iPAddress,
                   let bytes = ASN1_STRING_get0_data(octets) {
                    let buffer = [UInt8](UnsafeBufferPointer(start: bytes, count: Int(ASN1_STRING_length(octets))))
                    if let text = IPAddressText.format(buffer) {
                        result.append(.ipAddress(text))
                    }
                }
            default:
                continue
            }
        }
        return result
    }
}
