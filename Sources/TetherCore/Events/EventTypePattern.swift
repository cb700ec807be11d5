/// A subscription's type filter: `*` (everything), `device.*` (a dotted prefix: `device.connected`,
/// `device.created`, …) or an exact type. Patterns are short and matched without allocation.
public struct EventTypePattern: Sendable, Equatable, CustomStringConvertible {
    public let text: String

    /// Nil for an empty pattern, a `*` anywhere but as the whole last segment, or one longer than 128.
    public init?(_ text: String) {
        guard !text.isEmpty, text.utf8.count <= 128 else { return nil }
        let star = text.firstIndex(of: "*")
        if let star, !(text == "*" || (text.hasSuffix(".*") && star == text.index(before: text.endIndex))) { return nil }
        self.text = text
    }

    public func matches(_ type: String) -> Bool {
        if text == "*" { return true }
        if text.hasSuffix(".*") { return type.hasPrefix(text.dropLast()) }
        return type == text
    }

    public var description: String { text }

    /// Parses a JSON array of pattern strings (`nil` when any entry is not a valid pattern).
    public static func list(_ values: [String]) -> [EventTypePattern]? {
        let patterns = values.compactMap(EventTypePattern.init)
        return patterns.count == values.count ? patterns : nil
    }
}
