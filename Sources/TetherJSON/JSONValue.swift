import FoundationEssentials

/// A JSON value. Used for everything that crosses the plugin ABI as UTF-8 JSON, by the host and
/// by Swift plugins (each image has its own copy of this type; only bytes cross the boundary).
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])
}

extension JSONValue: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int64.self) {
            self = .int(value)
        } else if let value = try? container.decode(Double.self) {
            self = .double(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else if let value = try? container.decode([String: JSONValue].self) {
            self = .object(value)
        } else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a JSON value")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .int(let value): try container.encode(value)
        case .double(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }
}

/// Why bytes could not be turned into a `JSONValue`.
public struct JSONParseError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(description: String) { self.description = description }
}

extension JSONValue {
    /// Parses UTF-8 JSON bytes (any top-level value).
    public init(parsing bytes: some Collection<UInt8>) throws(JSONParseError) {
        do {
            self = try JSONDecoder().decode(JSONValue.self, from: Data(bytes))
        } catch {
            throw JSONParseError(description: "invalid JSON: \(Self.summarize(error))")
        }
    }

    /// Parses a JSON string.
    public init(parsing text: String) throws(JSONParseError) {
        try self.init(parsing: Array(text.utf8))
    }

    /// Encodes `self` as compact UTF-8 JSON with sorted keys (stable output).
    public func encodedBytes() -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding a JSONValue cannot fail except for non-finite doubles, which become null.
        if let data = try? encoder.encode(self.replacingNonFiniteNumbers()) {
            return Array(data)
        }
        return Array("null".utf8)
    }

    /// The JSON text of `self`.
    public var jsonString: String { String(decoding: encodedBytes(), as: UTF8.self) }

    private func replacingNonFiniteNumbers() -> JSONValue {
        switch self {
        case .double(let d) where !d.isFinite: return .null
        case .array(let items): return .array(items.map { $0.replacingNonFiniteNumbers() })
        case .object(let members): return .object(members.mapValues { $0.replacingNonFiniteNumbers() })
        default: return self
        }
    }

    private static func summarize(_ error: any Error) -> String {
        if case DecodingError.dataCorrupted(let context) = error {
            return context.underlyingError.map { "\($0)" } ?? context.debugDescription
        }
        return "\(error)"
    }
}
