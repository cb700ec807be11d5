import TetherJSON

/// The JSON codec fuzz harness (`Fuzz/JSONValueFuzz`, and the suite's smoke test): the input is a
/// JSON text. A value that parses encodes to JSON that parses back to the same value.
public enum JSONValueHarness {
    /// Parses one input and checks the invariants (traps on a violation).
    public static func run(_ input: UnsafeBufferPointer<UInt8>) {
        guard let value = try? JSONValue(parsing: input) else { return }
        let encoded = value.encodedBytes()
        guard let again = try? JSONValue(parsing: encoded) else {
            preconditionFailure("the encoding of a parsed value does not parse: \(String(decoding: encoded, as: UTF8.self))")
        }
        precondition(again.encodedBytes() == encoded, "encoding is not stable")
    }
}
