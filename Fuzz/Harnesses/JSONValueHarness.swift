import TetherJSON

/// The JSON codec fuzz harness (`Fuzz/build.sh json`, and the suite's smoke test): the input is a
/// JSON text. A value that parses encodes to JSON that parses back to an equivalent value (numbers
/// compared by value: an integral double may come back as an integer), and a second round trip
/// changes nothing.
public enum JSONValueHarness {
    /// Parses one input and checks the invariants (traps on a violation).
    public static func run(_ input: UnsafeBufferPointer<UInt8>) {
        guard let value = try? JSONValue(parsing: input) else { return }
        let encoded = value.encodedBytes()
        guard let again = try? JSONValue(parsing: encoded) else {
            preconditionFailure("the encoding of a parsed value does not parse: \(String(decoding: encoded, as: UTF8.self))")
        }
        precondition(equivalent(value, again), "a round trip changed \(value) into \(again)")
        let settled = again.encodedBytes()
        precondition((try? JSONValue(parsing: settled))?.encodedBytes() == settled, "the encoding does not settle")
    }

    /// Equal values, numbers compared as doubles (through the public accessors only, so the
    /// harness does not depend on how the value type stores numbers).
    public static func equivalent(_ a: JSONValue, _ b: JSONValue) -> Bool {
        if let left = a.arrayValue, let right = b.arrayValue {
            return left.count == right.count && zip(left, right).allSatisfy { equivalent($0, $1) }
        }
        if let left = a.objectValue, let right = b.objectValue {
            return left.count == right.count && left.allSatisfy { key, item in right[key].map { equivalent(item, $0) } ?? false }
        }
        if let left = a.doubleValue, let right = b.doubleValue { return left == right }
        return a == b
    }
}
