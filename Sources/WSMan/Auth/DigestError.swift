/// Why a Digest header could not be used.
public enum DigestError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The header does not use the `Digest` scheme.
    case notDigest(String)
    /// The header's parameter list is malformed (e.g. an unterminated quoted string).
    case malformed(String)
    /// A required parameter is missing.
    case missingParameter(String)
    /// An `algorithm` other than MD5.
    case unsupportedAlgorithm(String)

    public var description: String {
        switch self {
        case .notDigest(let header): return "not a Digest authentication header: \(header)"
        case .malformed(let reason): return "malformed Digest header: \(reason)"
        case .missingParameter(let name): return "Digest header lacks the '\(name)' parameter"
        case .unsupportedAlgorithm(let name): return "unsupported Digest algorithm '\(name)' (only MD5)"
        }
    }
}

/// Parses `Digest k=v, k="v", …` parameter lists (shared by challenge and authorization).
enum DigestParameters {
    /// Strips the `Digest` scheme and returns the parameters (names lower-cased) in order.
    static func parse(header: String) throws -> [(name: String, value: String)] {
        let trimmed = header.trimmingOWS()
        guard trimmed.count >= 6, trimmed.prefix(6).lowercased() == "digest" else { throw DigestError.notDigest(header) }
        let rest = trimmed.dropFirst(6)
        guard rest.isEmpty || rest.first == " " || rest.first == "\t" else { throw DigestError.notDigest(header) }
        guard rest.utf8.count <= 8192 else { throw DigestError.malformed("header longer than 8192 bytes") }
        return try parse(list: Substring(rest))
    }

    /// Works on the UTF-8 bytes, not Characters: a delimiter followed by a combining mark would
    /// otherwise merge into one grapheme cluster and stop being a delimiter (a fuzzer found a
    /// tab + U+0656 in a nonce that changed the value across a render-and-parse round trip).
    /// Every delimiter is ASCII and UTF-8 never uses ASCII bytes inside a multi-byte character,
    /// so cutting at them keeps every character whole.
    static func parse(list: Substring) throws -> [(name: String, value: String)] {
        var result: [(String, String)] = []
        var bytes = Array(list.utf8)
        bytes.append(UInt8(ascii: ","))
        let comma = UInt8(ascii: ","), equals = UInt8(ascii: "="), space = UInt8(ascii: " "), tab = UInt8(ascii: "\t")
        let quote = UInt8(ascii: "\""), backslash = UInt8(ascii: "\\")
        var i = 0
        func skipSpace() { while i < bytes.count, bytes[i] == space || bytes[i] == tab { i += 1 } }
        while i < bytes.count {
            skipSpace()
            if i < bytes.count, bytes[i] == comma { i += 1; continue }  // empty / rogue commas
            guard i < bytes.count else { break }
            let nameStart = i
            while i < bytes.count, bytes[i] != equals, bytes[i] != comma, bytes[i] != space, bytes[i] != tab { i += 1 }
            let name = String(decoding: bytes[nameStart..<i], as: UTF8.self)
            skipSpace()
            guard i < bytes.count, bytes[i] == equals else { throw DigestError.malformed("parameter '\(name)' has no value") }
            i += 1
            skipSpace()
            let value: String
            if i < bytes.count, bytes[i] == quote {
                i += 1
                var unescaped: [UInt8] = []
                var closed = false
                while i < bytes.count {
                    let byte = bytes[i]
                    if byte == backslash, i + 1 < bytes.count - 1 { unescaped.append(bytes[i + 1]); i += 2; continue }
                    if byte == quote { closed = true; i += 1; break }
                    unescaped.append(byte); i += 1
                }
                guard closed, i < bytes.count else { throw DigestError.malformed("unterminated quoted value for '\(name)'") }
                skipSpace()
                guard bytes[i] == comma else { throw DigestError.malformed("garbage after the value of '\(name)'") }
                value = String(decoding: unescaped, as: UTF8.self)
            } else {
                var end = i
                while end < bytes.count, bytes[end] != comma { end += 1 }
                var last = end
                while last > i, bytes[last - 1] == space || bytes[last - 1] == tab { last -= 1 }
                value = String(decoding: bytes[i..<last], as: UTF8.self)
                i = end
            }
            guard !name.isEmpty else { throw DigestError.malformed("empty parameter name") }
            result.append((name.lowercased(), value))
            guard result.count <= 32 else { throw DigestError.malformed("too many parameters") }
        }
        return result
    }

    /// `"value"` with `\` and `"` escaped.
    static func quote(_ value: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(value.utf8.count + 2)
        appendQuoted(value, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends `"value"` with `\` and `"` escaped. Byte-level: both are ASCII, and UTF-8 never
    /// uses ASCII bytes inside a multi-byte sequence.
    static func appendQuoted(_ value: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in value.utf8 {
            if byte == UInt8(ascii: "\\") || byte == UInt8(ascii: "\"") { out.append(UInt8(ascii: "\\")) }
            out.append(byte)
        }
        out.append(UInt8(ascii: "\""))
    }
}
