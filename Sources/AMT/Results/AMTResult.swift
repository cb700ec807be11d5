import TetherJSON

/// A typed result of an AMT operation, as the `amt.*` host commands return it: neutral data
/// (WS-Man class and property names are AMT's and appear as data; no front end's status codes,
/// wrappers or sentences). Every result is encoded to JSON the same way, by ``json``: the
/// Swift property names are the JSON member names, `nil` members are left out.
public protocol AMTResult: Encodable, Sendable {}

extension AMTResult {
    /// The JSON value of this result (the one encoder every `amt.*` command uses).
    public var json: JSONValue { AMTResultEncoder.encode(self) }
}

/// Encodes results straight into a `JSONValue` (the same value Foundation's `JSONEncoder` and a
/// parse would give, without the bytes).
enum AMTResultEncoder {
    // Device values are finite (WSManJSON only makes numbers of short decimal texts); should one
    // not be, it is written as text rather than failing the command.
    private static let encoder = JSONValueEncoder(nonFiniteDoubles: .strings(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN"))

    static func encode(_ value: some Encodable) -> JSONValue {
        do {
            return try encoder.encode(value)
        } catch {
            // Only an Encodable implementation that breaks its contract gets here; none in AMT does.
            assertionFailure("AMT result not encodable: \(error)")
            return .null
        }
    }
}
