import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Address and name checks used by the validators.
public enum AddressRules {
    /// Dotted-quad IPv4: four decimal parts 0...255, 1–3 digits each (leading zeros accepted, as RPS does).
    public static func isIPv4(_ text: String) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return false }
        return parts.allSatisfy { part in
            guard (1...3).contains(part.count), part.allSatisfy({ $0.isASCII && $0.isNumber }),
                  let value = Int(part)
            else { return false }
            return value <= 255
        }
    }

    /// A real IPv6 parse (`inet_pton`). Chosen over RPS's regex, whose unanchored alternation
    /// rejects `::1` and accepts trailing garbage.
    public static func isIPv6(_ text: String) -> Bool {
        guard !text.isEmpty, text.count <= 45, text.contains(":"), text.allSatisfy({ $0.isASCII }) else { return false }
        var address = in6_addr()
        return text.withCString { inet_pton(AF_INET6, $0, &address) } == 1
    }

    /// A fully qualified domain name: at least two labels, each 1–63 of letters, digits and inner
    /// hyphens, total ≤ 253, alphabetic TLD of 2–63 characters (or an `xn--` IDN TLD).
    /// Case-insensitive: RPS's regex accepts lower case only, which rejects valid names such as
    /// `MPS.Example.com`; DNS names are case-insensitive, so upper case is accepted here.
    public static func isFQDN(_ text: String) -> Bool {
        guard !text.isEmpty, text.count <= 253, text.allSatisfy({ $0.isASCII }) else { return false }
        let labels = text.lowercased().split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2 else { return false }
        for label in labels {
            guard (1...63).contains(label.count),
                  label.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" }),
                  label.first != "-", label.last != "-"
            else { return false }
        }
        let tld = labels[labels.count - 1]
        return tld.hasPrefix("xn--") || (tld.count >= 2 && tld.allSatisfy { $0.isLetter })
    }
}
