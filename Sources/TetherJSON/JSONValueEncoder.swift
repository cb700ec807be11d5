/// Encodes `Encodable` values straight into a ``JSONValue``: no bytes, no Foundation, no parse.
///
/// The value is the one Foundation's `JSONEncoder` (default strategies, non-finite doubles as
/// configured) would write and ``JSONValue/init(parsing:limits:)`` would read back:
/// - a number whose value is an exact `Int64` is `.int` (so `2.0` is `.int(2)`, as `"2"` would
///   parse), every other finite number is `.double`; a `Float` is widened through its shortest
///   text (`Float(0.1)` is `.double(0.1)`, as Foundation writes `0.1`);
/// - `encodeIfPresent` with `nil` leaves the member out, `encodeNil` writes `null`;
/// - a nested value that encodes nothing is `{}`; a top-level one is an error;
/// - a key encoded twice keeps the last value; `superEncoder()` nests under `"super"`;
/// - non-finite doubles are refused or written as the configured strings.
///
/// Types Foundation's encoder special-cases are encoded by their own `Encodable` conformance here:
/// `Date` as its `Double` (the same as `JSONEncoder`'s default), but `Data` as an array of bytes
/// (not base64) and `URL` as its keyed form (not a string). Use strings for those.
public struct JSONValueEncoder: Sendable {
    /// What to do with an infinite or NaN `Double`/`Float`, which JSON has no number for.
    public enum NonFiniteDoubles: Sendable, Hashable {
        /// Throw `EncodingError.invalidValue` (Foundation's default).
        case refuse
        /// Write these strings instead.
        case strings(positiveInfinity: String, negativeInfinity: String, nan: String)
    }

    /// How non-finite doubles are encoded.
    public var nonFiniteDoubles: NonFiniteDoubles

    /// Creates an encoder.
    public init(nonFiniteDoubles: NonFiniteDoubles = .refuse) {
        self.nonFiniteDoubles = nonFiniteDoubles
    }

    /// The JSON value of `value`. Throws what `value`'s `encode(to:)` throws, a refused
    /// non-finite double, or `EncodingError.invalidValue` when the top-level value encodes nothing.
    public func encode<T: Encodable>(_ value: T) throws -> JSONValue {
        let encoder = JSONValueEncoding(options: self, parent: nil, key: nil)
        if let direct = try encoder.direct(value) { return direct }
        try value.encode(to: encoder)
        guard let result = encoder.finish() else {
            throw EncodingError.invalidValue(value, EncodingError.Context(codingPath: [], debugDescription: "Top-level \(T.self) did not encode any values."))
        }
        return result
    }

    /// `number` as JSON: an exact `Int64` is `.int`, another finite value `.double`.
    func number(_ number: Double, _ path: @autoclosure () -> [any CodingKey]) throws -> JSONValue {
        if let exact = Int64(exactly: number) { return .int(exact) }
        if number.isFinite { return .double(number) }
        switch nonFiniteDoubles {
        case .refuse:
            throw EncodingError.invalidValue(number, EncodingError.Context(codingPath: path(), debugDescription: "\(number) is not a JSON number."))
        case .strings(let positive, let negative, let nan):
            return .string(number.isNaN ? nan : (number > 0 ? positive : negative))
        }
    }

    /// `value` as the Foundation round trip would leave it (doubles normalized as by ``number``).
    /// Returns `value` itself, without rebuilding it, when nothing needs to change (the usual case).
    func normalized(_ value: JSONValue, _ path: @autoclosure () -> [any CodingKey]) throws -> JSONValue {
        guard Self.needsNormalizing(value) else { return value }
        switch value {
        case .double(let double): return try number(double, path())
        case .array(let elements): return .array(try elements.map { try normalized($0, path()) })
        case .object(let members): return .object(try members.mapValues { try normalized($0, path()) })
        default: return value
        }
    }

    private static func needsNormalizing(_ value: JSONValue) -> Bool {
        switch value {
        case .double(let double): return !double.isFinite || Int64(exactly: double) != nil
        case .array(let elements): return elements.contains(where: needsNormalizing)
        case .object(let members): return members.values.contains(where: needsNormalizing)
        default: return false
        }
    }
}
