import HTTPTypes
import Synchronization

/// The id of one HTTP request served by the gateway (`X-Request-Id`).
enum RequestID {
    /// The most a client's id may have.
    static let maxLength = 64

    /// The client's `X-Request-Id` when it is 1–64 characters of `[A-Za-z0-9._-]`, else a fresh one.
    static func choose(clientValue: String?) -> String {
        if let value = clientValue, isSane(value) { return value }
        return generate()
    }

    static func isSane(_ value: String) -> Bool {
        let bytes = value.utf8
        return !bytes.isEmpty && bytes.count <= maxLength && bytes.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == 0x2E || byte == 0x5F || byte == 0x2D
        }
    }

    /// 12 hex digits (48 bits: unique enough to find one request's lines in a log) that look
    /// random: a counter under a per-process random key, mixed by SplitMix64's finalizer (a
    /// bijection, so no two of the first 2⁴⁸ ids collide before truncation makes it unlikely).
    /// Not `UInt64.random`: that is a `getrandom` system call per request, and a request id is
    /// no secret.
    static func generate() -> String {
        var z = key &+ counter.wrappingAdd(1, ordering: .relaxed).newValue &* 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        let digits = Self.hexDigits
        // 12 ASCII bytes: a small string, no allocation.
        return String(unsafeUninitializedCapacity: 12) { buffer in
            for index in 0..<12 {
                buffer[index] = digits[Int(truncatingIfNeeded: (z >> UInt64(44 - 4 * index)) & 0xF)]
            }
            return 12
        }
    }

    private static let key = UInt64.random(in: .min ... .max)
    private static let counter = Atomic<UInt64>(0)
    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)
}

extension HTTPField.Name {
    /// `X-Request-Id`.
    static let xRequestID = HTTPField.Name("X-Request-Id")!
}
