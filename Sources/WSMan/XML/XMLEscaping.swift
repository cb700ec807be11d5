/// Escaping for text and attribute values written into XML envelopes.
public enum XMLEscaping {
    /// Escapes `&`, `<`, `>` for element content.
    public static func text(_ value: String) -> String {
        guard value.contains(where: { $0 == "&" || $0 == "<" || $0 == ">" }) else { return value }
        var out = ""
        out.reserveCapacity(value.utf8.count + 16)
        for ch in value {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            default: out.append(ch)
            }
        }
        return out
    }

    /// Escapes `&`, `<`, `>`, `"` and `'` for a double-quoted attribute value.
    public static func attribute(_ value: String) -> String {
        var out = ""
        out.reserveCapacity(value.utf8.count + 8)
        for ch in value {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default: out.append(ch)
            }
        }
        return out
    }
}
