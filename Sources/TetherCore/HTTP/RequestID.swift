import HTTPTypes

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

    /// 12 random hex digits (48 bits: unique enough to find one request's lines in a log).
    static func generate() -> String {
        let value = UInt64.random(in: 0..<(1 << 48))
        let hex = String(value, radix: 16)
        return String(repeating: "0", count: 12 - hex.count) + hex
    }
}

extension HTTPField.Name {
    /// `X-Request-Id`.
    static let xRequestID = HTTPField.Name("X-Request-Id")!
}
