/// A property value of a CIM/AMT class instance as read from (or written to) an envelope.
///
/// Leaf elements are `.text` (whitespace-trimmed; attributes ignored), elements with child
/// elements are `.object`, and a property that occurs more than once is `.list`.
/// No type guessing happens: `"01"` stays `"01"`; use the typed accessors to convert.
public indirect enum WSManValue: Sendable, Equatable {
    /// A leaf value.
    case text(String)
    /// A repeated property (`AvailableRequestedPowerStates`), in document order.
    case list([WSManValue])
    /// A structured value (e.g. an endpoint reference or a datetime wrapper).
    case object(WSManInstance)

    /// The text of a leaf value (or of the first element of a list).
    public var string: String? {
        switch self {
        case .text(let s): return s
        case .list(let items): return items.first?.string
        case .object: return nil
        }
    }

    /// The value as an integer (decimal), if it is one.
    public var int: Int? { string.flatMap { Int($0) } }

    /// `true`/`false` (case-insensitive), if the value is a boolean.
    public var bool: Bool? {
        switch string?.lowercased() {
        case "true": return true
        case "false": return false
        default: return nil
        }
    }

    /// All values: the items of a list, or a one-element array for a single value.
    public var items: [WSManValue] {
        if case .list(let items) = self { return items }
        return [self]
    }

    /// The texts of all items (a single value gives one element).
    public var strings: [String] { items.compactMap(\.string) }

    /// The structured value, if this is an object.
    public var object: WSManInstance? {
        if case .object(let o) = self { return o }
        return nil
    }
}

extension WSManValue: ExpressibleByStringLiteral {
    public init(stringLiteral value: String) { self = .text(value) }
}

extension WSManValue {
    /// A boolean leaf (`true`/`false`).
    public static func bool(_ value: Bool) -> WSManValue { .text(value ? "true" : "false") }
    /// An integer leaf.
    public static func int(_ value: Int) -> WSManValue { .text(String(value)) }
}
