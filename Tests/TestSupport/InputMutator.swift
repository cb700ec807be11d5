import Foundation

/// A small deterministic mutator for the suite's fuzz smoke runs (FuzzSmokeTests, the REST smoke): libFuzzer's basic moves (flip
/// a bit, overwrite, insert, erase, duplicate a range, splice a dictionary token) driven by a
/// seeded SplitMix64, so a failing run repeats with the same seed.
public struct InputMutator {
    private var state: UInt64
    private let tokens: [[UInt8]]

    public init(seed: UInt64, tokens: [String] = []) {
        state = seed
        self.tokens = tokens.map { Array($0.utf8) }
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    public mutating func below(_ bound: Int) -> Int { bound <= 1 ? 0 : Int(next() % UInt64(bound)) }

    /// `input` with 1–4 random mutations applied.
    public mutating func mutate(_ input: [UInt8]) -> [UInt8] {
        var bytes = input
        for _ in 0...below(4) {
            let at = below(bytes.count + 1)
            switch below(6) {
            case 0 where !bytes.isEmpty: bytes[min(at, bytes.count - 1)] ^= UInt8(1) << UInt8(below(8))
            case 1 where !bytes.isEmpty: bytes[min(at, bytes.count - 1)] = UInt8(truncatingIfNeeded: next())
            case 2: bytes.insert(contentsOf: (0..<1 + below(8)).map { _ in UInt8(truncatingIfNeeded: next()) }, at: at)
            case 3 where !bytes.isEmpty: bytes.removeSubrange(min(at, bytes.count - 1)..<min(bytes.count, at + 1 + below(16)))
            case 4 where at < bytes.count:
                let end = min(bytes.count, at + 1 + below(32))
                bytes.insert(contentsOf: bytes[at..<end], at: below(bytes.count + 1))
            default:
                if let token = tokens.isEmpty ? nil : tokens[below(tokens.count)] { bytes.insert(contentsOf: token, at: at) }
            }
        }
        return bytes
    }
}
