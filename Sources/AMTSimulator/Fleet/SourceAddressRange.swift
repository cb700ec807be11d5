import Foundation

/// Parses `127.0.0.2-127.0.0.9` (or a single address, or a comma list) into IPv4 addresses.
public enum SourceAddressRange {
    public struct ParseError: Error, CustomStringConvertible {
        public let description: String
    }

    public static func parse(_ text: String) throws(ParseError) -> [String] {
        var result: [String] = []
        for part in text.split(separator: ",") {
            let bounds = part.split(separator: "-", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard let first = bounds.first, let low = ipv4(first) else {
                throw ParseError(description: "'\(part)' is not an IPv4 address or range")
            }
            let high = bounds.count == 2 ? ipv4(bounds[1]) : low
            guard let high, high >= low, high - low < 1 << 20 else {
                throw ParseError(description: "'\(part)' is not a valid ascending range")
            }
            for value in low...high { result.append(Self.text(value)) }
        }
        return result
    }

    static func ipv4(_ text: String) -> UInt32? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var value: UInt32 = 0
        for part in parts {
            guard let octet = UInt8(part) else { return nil }
            value = value << 8 | UInt32(octet)
        }
        return value
    }

    static func text(_ value: UInt32) -> String {
        "\(value >> 24).\(value >> 16 & 0xFF).\(value >> 8 & 0xFF).\(value & 0xFF)"
    }
}
