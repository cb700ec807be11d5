import Testing
import TetherJSON

/// Seeded random documents: every value survives a write/parse round trip, and mutated bytes
/// either parse or are refused with a `JSONParseError` — never a crash, never a hang.
@Suite("JSON randomized")
struct JSONRandomizedTests {
    /// SplitMix64: reproducible across runs.
    struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    private static let characters: [Character] = ["a", "Z", "0", " ", "\"", "\\", "/", "\n", "\u{1}", "é", "€", "😀", "\u{7f}", "{", "]"]

    private func value(depth: Int, _ rng: inout Generator) -> JSONValue {
        switch Int.random(in: 0..<(depth > 5 ? 5 : 7), using: &rng) {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &rng))
        case 2: return .int(Int64.random(in: .min ... .max, using: &rng))
        case 3:
            let double = Double.random(in: -1e12...1e12, using: &rng) * (Bool.random(using: &rng) ? 1 : 1e-9)
            return Int64(exactly: double) != nil ? .int(Int64(double)) : .double(double)
        case 4: return .string(String((0..<Int.random(in: 0..<12, using: &rng)).map { _ in Self.characters.randomElement(using: &rng)! }))
        case 5: return .array((0..<Int.random(in: 0..<5, using: &rng)).map { _ in value(depth: depth + 1, &rng) })
        default:
            var members: [String: JSONValue] = [:]
            for index in 0..<Int.random(in: 0..<5, using: &rng) { members["k\(index)\(Self.characters.randomElement(using: &rng)!)"] = value(depth: depth + 1, &rng) }
            return .object(members)
        }
    }

    @Test("random values round-trip exactly")
    func roundTrip() throws {
        var rng = Generator(state: 16)
        for _ in 0..<2000 {
            let original = value(depth: 0, &rng)
            let bytes = original.encodedBytes()
            #expect(try JSONValue(parsing: bytes) == original, "\(String(decoding: bytes, as: UTF8.self))")
            // Unsorted (the plugin crossings): the same value, the same length, and sorted again
            // on a second encode.
            let unsorted = original.encodedBytes(sortingKeys: false)
            #expect(try JSONValue(parsing: unsorted) == original)
            #expect(unsorted.count == bytes.count)
            #expect(try JSONValue(parsing: unsorted).encodedBytes() == bytes)
        }
    }

    @Test("mutated documents parse or are refused, never crash")
    func mutations() {
        var rng = Generator(state: 1601)
        var refused = 0
        for _ in 0..<3000 {
            var bytes = value(depth: 0, &rng).encodedBytes()
            for _ in 0..<Int.random(in: 1...4, using: &rng) where !bytes.isEmpty {
                let position = Int.random(in: 0..<bytes.count, using: &rng)
                switch Int.random(in: 0..<3, using: &rng) {
                case 0: bytes[position] = UInt8.random(in: 0...255, using: &rng)
                case 1: bytes.remove(at: position)
                default: bytes.insert(Array("{}[]\",:\\".utf8).randomElement(using: &rng)!, at: position)
                }
            }
            do {
                let parsed = try JSONValue(parsing: bytes)
                // Whatever parses writes back to something that parses to the same value.
                #expect(try JSONValue(parsing: parsed.encodedBytes()) == parsed)
            } catch {
                refused += 1
            }
        }
        #expect(refused > 0)
    }
}
