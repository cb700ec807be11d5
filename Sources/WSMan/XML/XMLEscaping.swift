/// Escaping for text and attribute values written into XML envelopes. Byte-level: every byte
/// that needs escaping is ASCII, so UTF-8 sequences pass through untouched.
public enum XMLEscaping {
    /// Escapes `&`, `<`, `>` for element content.
    public static func text(_ value: String) -> String {
        guard value.utf8.contains(where: needsTextEscape) else { return value }
        var out: [UInt8] = []
        appendText(value, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends `value` escaped for element content (as ``text(_:)``) to `out`.
    public static func appendText(_ value: String, to out: inout [UInt8]) {
        guard value.utf8.contains(where: needsTextEscape) else {
            out.append(contentsOf: value.utf8)
            return
        }
        out.reserveCapacity(out.count + value.utf8.count + 16)
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "&"): out.append(contentsOf: "&amp;".utf8)
            case UInt8(ascii: "<"): out.append(contentsOf: "&lt;".utf8)
            case UInt8(ascii: ">"): out.append(contentsOf: "&gt;".utf8)
            default: out.append(byte)
            }
        }
    }

    /// Escapes `&`, `<`, `>`, `"` and `'` for a double-quoted attribute value.
    public static func attribute(_ value: String) -> String {
        guard value.utf8.contains(where: { needsTextEscape($0) || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "'") }) else {
            return value
        }
        var out: [UInt8] = []
        out.reserveCapacity(value.utf8.count + 8)
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "&"): out.append(contentsOf: "&amp;".utf8)
            case UInt8(ascii: "<"): out.append(contentsOf: "&lt;".utf8)
            case UInt8(ascii: ">"): out.append(contentsOf: "&gt;".utf8)
            case UInt8(ascii: "\""): out.append(contentsOf: "&quot;".utf8)
            case UInt8(ascii: "'"): out.append(contentsOf: "&apos;".utf8)
            default: out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func needsTextEscape(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "&") || byte == UInt8(ascii: "<") || byte == UInt8(ascii: ">")
    }
}
