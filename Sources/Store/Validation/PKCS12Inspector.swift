import COpenSSL
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Opens a base64 PFX (PKCS#12) with OpenSSL and reports its expiry and leaf CN.
///
/// Note: OpenSSL 3 reads PFX files protected with AES/3DES (what current tools export); files
/// using the obsolete RC2-40 scheme need OpenSSL's legacy provider, which is not loaded, and fail
/// as `cannotDecrypt`.
public enum PKCS12Inspector {
    /// Parses the PFX. - Throws: `PKCS12Error`.
    public static func inspect(base64: String, password: String) throws(PKCS12Error) -> ProvisioningCertificateInfo {
        _ = legacyAlgorithms
        guard let der = Data(base64Encoded: base64, options: .ignoreUnknownCharacters), !der.isEmpty else {
            throw PKCS12Error.notBase64
        }
        defer { ERR_clear_error() }
        let p12: OpaquePointer? = der.withUnsafeBytes { raw in
            guard let base = raw.bindMemory(to: UInt8.self).baseAddress else { return nil }
            var pointer: UnsafePointer<UInt8>? = base
            return d2i_PKCS12(nil, &pointer, raw.count)
        }
        guard let p12 else { throw PKCS12Error.cannotDecrypt }
        defer { PKCS12_free(p12) }

        var key: OpaquePointer?
        var leaf: OpaquePointer?
        var chain: OpaquePointer?
        guard PKCS12_parse(p12, password, &key, &leaf, &chain) == 1 else { throw PKCS12Error.cannotDecrypt }
        defer {
            if let key { EVP_PKEY_free(key) }
            if let leaf { X509_free(leaf) }
            if let chain {
                for index in 0..<max(0, OPENSSL_sk_num(chain)) {
                    if let cert = OPENSSL_sk_value(chain, index) { X509_free(OpaquePointer(cert)) }
                }
                OPENSSL_sk_free(chain)
            }
        }
        var certificates: [OpaquePointer] = []
        if let leaf { certificates.append(leaf) }
        if let chain {
            for index in 0..<max(0, OPENSSL_sk_num(chain)) {
                if let cert = OPENSSL_sk_value(chain, index) { certificates.append(OpaquePointer(cert)) }
            }
        }
        guard let first = certificates.first else { throw PKCS12Error.noCertificate }
        guard key != nil else { throw PKCS12Error.noPrivateKey }

        var earliest: Date?
        for cert in certificates {
            guard let notAfter = date(X509_get0_notAfter(cert)) else { throw PKCS12Error.unreadableValidity }
            if earliest == nil || notAfter < earliest! { earliest = notAfter }
        }
        guard let earliest else { throw PKCS12Error.unreadableValidity }
        return ProvisioningCertificateInfo(
            expirationDate: earliest, leafCommonName: commonName(first), certificateCount: certificates.count)
    }

    private static func date(_ time: UnsafePointer<ASN1_TIME>?) -> Date? {
        guard let time else { return nil }
        var parts = tm()
        guard ASN1_TIME_to_tm(time, &parts) == 1 else { return nil }
        return Date(timeIntervalSince1970: TimeInterval(timegm(&parts)))
    }

    private static func commonName(_ cert: OpaquePointer) -> String? {
        guard let name = X509_get_subject_name(cert) else { return nil }
        let index = X509_NAME_get_index_by_NID(name, NID_commonName, -1)
        guard index >= 0, let entry = X509_NAME_get_entry(name, index),
              let data = X509_NAME_ENTRY_get_data(entry)
        else { return nil }
        var out: UnsafeMutablePointer<UInt8>?
        let length = ASN1_STRING_to_UTF8(&out, data)
        guard length >= 0, let out else { return nil }
        defer { CRYPTO_free(out, nil, 0) }
        return String(decoding: UnsafeBufferPointer(start: out, count: Int(length)), as: UTF8.self)
    }

    /// Provisioning certificates exported by Windows and most CAs protect the certificate bag
    /// with RC2-40 / 3DES, which OpenSSL 3 only offers through its "legacy" provider. Loaded
    /// once, next to the default provider (loading one explicitly disables the implicit default).
    private static let legacyAlgorithms: Bool = {
        let legacy = OSSL_PROVIDER_load(nil, "legacy")
        let defaults = OSSL_PROVIDER_load(nil, "default")
        return legacy != nil && defaults != nil
    }()
}
