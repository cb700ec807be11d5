import COpenSSL

/// Parsing and canonical formatting of IPv4/IPv6 address text, via OpenSSL's own parser so
/// that the SAN we write and the SAN we compare agree.
enum IPAddressText {
    /// Raw address bytes (4 or 16) for `text`, or `nil` when it is not an IP address.
    static func bytes(_ text: String) -> [UInt8]? {
        guard let octets = a2i_IPADDRESS(text) else { return nil }
        defer { ASN1_OCTET_STRING_free(octets) }
        guard let data = ASN1_STRING_get0_data(octets) else { return nil }
        return [UInt8](UnsafeBufferPointer(start: data, count: Int(ASN1_STRING_length(octets))))
    }

    /// Canonical text (dotted quad, or eight lowercase hex groups) for 4 or 16 bytes.
    static func format(_ bytes: [UInt8]) -> String? {
        switch bytes.count {
        case 4:
            return bytes.map(String.init).joined(separator: ".")
        case 16:
            return stride(from: 0, to: 16, by: 2).map { index in
                String(UInt16(bytes[index]) << 8 | UInt16(bytes[index + 1]), radix: 16)
            }.joined(separator: ":")
        default:
            return nil
        }
    }

    /// Canonical text for `text` if it is an IP address.
    static func normalized(_ text: String) -> String? {
        bytes(text).flatMap(format)
    }
}
