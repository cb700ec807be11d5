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

    /// Works on Unicode scalars, not Characters: a delimiter followed by a combining mark would
    /// otherwise merge into one grapheme cluster and stop being a delimiter (a fuzzer found a
    /// tab + U+0656 in a nonce that changed the value across a render-and-parse round trip).
    static func parse(list: Substring) throws -> [(name: String, value: String)] {
        var result: [(String, String)] = []
        var chars = Array(list.unicodeScalars)
        chars.append(",")
        var i = 0
        func skipSpace() { while i < chars.count, chars[i] == " " || chars[i] == "\t" { i += 1 } }
        while i < chars.count {
            skipSpace()
            if i < chars.count, chars[i] == "," { i += 1; continue }  // empty / rogue commas
            guard i < chars.count else { break }
            var nameScalars = String.UnicodeScalarView()
            while i < chars.count, chars[i] != "=", chars[i] != ",", chars[i] != " ", chars[i] != "\t" {
                nameScalars.append(chars[i]); i += 1
            }
            let name = String(nameScalars)
            skipSpace()
            guard i < chars.count, chars[i] == "=" else { throw DigestError.malformed("parameter '\(name)' has no value") }
            i += 1
            skipSpace()
            var value = String.UnicodeScalarView()
            if i < chars.count, chars[i] == "\"" {
                i += 1
                var closed = false
                while i < chars.count {
                    let c = chars[i]
                    if c == "\\", i + 1 < chars.count - 1 { value.append(chars[i + 1]); i += 2; continue }
                    if c == "\"" { closed = true; i += 1; break }
                    value.append(c); i += 1
                }
                guard closed, i < chars.count else { throw DigestError.malformed("unterminated quoted value for '\(name)'") }
                skipSpace()
                guard chars[i] == "," else { throw DigestError.malformed("garbage after the value of '\(name)'") }
            } else {
                var end = i
                while end < chars.count, chars[end] != "," { end += 1 }
                var last = end
                while last > i, chars[last - 1] == " " || chars[last - 1] == "\t" { last -= 1 }
                value.append(contentsOf: chars[i..<last])
                i = end
            }
            guard !name.isEmpty else { throw DigestError.malformed("empty parameter name") }
            result.append((name.lowercased(), String(value)))
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
