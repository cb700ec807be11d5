/// A single-pass recursive-descent parser over UTF-8 bytes (RFC 8259). Work is linear in the
/// input; recursion is bounded by `JSONParseLimits.maximumDepth`.
struct JSONParser {
    private let input: UnsafeBufferPointer<UInt8>
    private let maximumDepth: Int
    private var index = 0
    private var depth = 0
    /// Scratch buffer for strings with escapes (reused across strings).
    private var scratch: [UInt8] = []

    /// Parses one JSON document filling all of `input` (surrounding whitespace allowed).
    static func parse(_ input: UnsafeBufferPointer<UInt8>, limits: JSONParseLimits) throws(JSONParseError) -> JSONValue {
        guard input.count <= limits.maximumBytes else { throw JSONParseError(.tooLarge, at: limits.maximumBytes) }
        var parser = JSONParser(input: input, maximumDepth: limits.maximumDepth)
        parser.skipWhitespace()
        let value = try parser.parseValue()
        parser.skipWhitespace()
        guard parser.index == input.count else { throw JSONParseError(.trailingData, at: parser.index) }
        return value
    }

    private init(input: UnsafeBufferPointer<UInt8>, maximumDepth: Int) {
        self.input = input
        self.maximumDepth = maximumDepth
    }

    // MARK: - Values

    private mutating func parseValue() throws(JSONParseError) -> JSONValue {
        guard index < input.count else { throw JSONParseError(.unexpectedEnd, at: index) }
        switch input[index] {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default: throw JSONParseError(.unexpectedByte, at: index)
        }
    }

    private mutating func enterContainer() throws(JSONParseError) {
        depth += 1
        guard depth <= maximumDepth else { throw JSONParseError(.tooDeep, at: index) }
        index += 1
        skipWhitespace()
    }

    private mutating func parseObject() throws(JSONParseError) -> JSONValue {
        try enterContainer()
        var members: [String: JSONValue] = [:]
        if try consumeIf(UInt8(ascii: "}")) {
            depth -= 1
            return .object(members)
        }
        // Room for the usual few members at once, rather than growing (and rehashing) 1, 2, 4, 8.
        members.reserveCapacity(8)
        while true {
            guard index < input.count else { throw JSONParseError(.unexpectedEnd, at: index) }
            guard input[index] == UInt8(ascii: "\"") else { throw JSONParseError(.unexpectedByte, at: index) }
            let keyOffset = index
            let key = try parseString()
            skipWhitespace()
            try expect(UInt8(ascii: ":"))
            skipWhitespace()
            let value = try parseValue()
            if members.updateValue(value, forKey: key) != nil {
                throw JSONParseError(.duplicateKey, at: keyOffset)
            }
            skipWhitespace()
            if try consumeIf(UInt8(ascii: "}")) { break }
            try expect(UInt8(ascii: ","))
            skipWhitespace()
        }
        depth -= 1
        return .object(members)
    }

    private mutating func parseArray() throws(JSONParseError) -> JSONValue {
        try enterContainer()
        var items: [JSONValue] = []
        if try consumeIf(UInt8(ascii: "]")) {
            depth -= 1
            return .array(items)
        }
        while true {
            items.append(try parseValue())
            skipWhitespace()
            if try consumeIf(UInt8(ascii: "]")) { break }
            try expect(UInt8(ascii: ","))
            skipWhitespace()
        }
        depth -= 1
        return .array(items)
    }

    // MARK: - Strings

    /// Parses a string starting at its opening quote; leaves `index` after the closing quote.
    private mutating func parseString() throws(JSONParseError) -> String {
        index += 1
        let start = index
        var asciiOnly = true
        // Fast path: no escapes.
        while index < input.count {
            let byte = input[index]
            if byte == UInt8(ascii: "\"") {
                let run = UnsafeBufferPointer(rebasing: input[start..<index])
                index += 1
                return try makeString(run, asciiOnly: asciiOnly, offset: start)
            }
            if byte == UInt8(ascii: "\\") { break }
            if byte < 0x20 { throw JSONParseError(.invalidString, at: index) }
            if byte >= 0x80 { asciiOnly = false }
            index += 1
        }
        guard index < input.count else { throw JSONParseError(.unexpectedEnd, at: index) }
        // Slow path: copy into the scratch buffer, decoding escapes.
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: UnsafeBufferPointer(rebasing: input[start..<index]))
        while index < input.count {
            let byte = input[index]
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                let decoded = scratch
                return try decoded.withUnsafeBufferPointer { buffer throws(JSONParseError) in
                    try makeString(buffer, asciiOnly: asciiOnly, offset: start)
                }
            case UInt8(ascii: "\\"):
                try decodeEscape(&asciiOnly)
            case 0..<0x20:
                throw JSONParseError(.invalidString, at: index)
            default:
                if byte >= 0x80 { asciiOnly = false }
                scratch.append(byte)
                index += 1
            }
        }
        throw JSONParseError(.unexpectedEnd, at: index)
    }

    private func makeString(_ bytes: UnsafeBufferPointer<UInt8>, asciiOnly: Bool, offset: Int) throws(JSONParseError) -> String {
        if asciiOnly { return String(decoding: bytes, as: UTF8.self) }
        guard let string = String(validating: bytes, as: UTF8.self) else { throw JSONParseError(.invalidUTF8, at: offset) }
        return string
    }

    /// Decodes the escape at `index` (a backslash) into `scratch`.
    private mutating func decodeEscape(_ asciiOnly: inout Bool) throws(JSONParseError) {
        let escapeOffset = index
        index += 1
        guard index < input.count else { throw JSONParseError(.unexpectedEnd, at: index) }
        let letter = input[index]
        index += 1
        switch letter {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): scratch.append(letter)
        case UInt8(ascii: "b"): scratch.append(0x08)
        case UInt8(ascii: "f"): scratch.append(0x0C)
        case UInt8(ascii: "n"): scratch.append(0x0A)
        case UInt8(ascii: "r"): scratch.append(0x0D)
        case UInt8(ascii: "t"): scratch.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = try readHex4()
            if (0xD800...0xDBFF).contains(scalar) {
                // A high surrogate must be followed by an escaped low surrogate.
                guard index + 1 < input.count, input[index] == UInt8(ascii: "\\"), input[index + 1] == UInt8(ascii: "u") else {
                    throw JSONParseError(.invalidEscape, at: escapeOffset)
                }
                index += 2
                let low = try readHex4()
                guard (0xDC00...0xDFFF).contains(low) else { throw JSONParseError(.invalidEscape, at: escapeOffset) }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            } else if (0xDC00...0xDFFF).contains(scalar) {
                throw JSONParseError(.invalidEscape, at: escapeOffset)
            }
            if scalar >= 0x80 { asciiOnly = false }
            appendUTF8(scalar)
        default:
            throw JSONParseError(.invalidEscape, at: escapeOffset)
        }
    }

    private mutating func readHex4() throws(JSONParseError) -> UInt32 {
        guard index + 4 <= input.count else { throw JSONParseError(.unexpectedEnd, at: input.count) }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = input[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw JSONParseError(.invalidEscape, at: index)
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }

    private mutating func appendUTF8(_ scalar: UInt32) {
        switch scalar {
        case 0..<0x80:
            scratch.append(UInt8(scalar))
        case 0x80..<0x800:
            scratch.append(UInt8(0xC0 | (scalar >> 6)))
            scratch.append(UInt8(0x80 | (scalar & 0x3F)))
        case 0x800..<0x10000:
            scratch.append(UInt8(0xE0 | (scalar >> 12)))
            scratch.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
            scratch.append(UInt8(0x80 | (scalar & 0x3F)))
        default:
            scratch.append(UInt8(0xF0 | (scalar >> 18)))
            scratch.append(UInt8(0x80 | ((scalar >> 12) & 0x3F)))
            scratch.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
            scratch.append(UInt8(0x80 | (scalar & 0x3F)))
        }
    }

    // MARK: - Numbers

    private mutating func parseNumber() throws(JSONParseError) -> JSONValue {
        let start = index
        let negative = input[index] == UInt8(ascii: "-")
        if negative { index += 1 }
        guard index < input.count else { throw JSONParseError(.unexpectedEnd, at: index) }
        // Integer part: 0 | [1-9][0-9]*, accumulated negatively so that Int64.min fits.
        var accumulator: Int64 = 0
        var overflow = false
        if input[index] == UInt8(ascii: "0") {
            index += 1
        } else if isDigit(input[index]) {
            while index < input.count, isDigit(input[index]) {
                let digit = Int64(input[index] - UInt8(ascii: "0"))
                let (times10, o1) = accumulator.multipliedReportingOverflow(by: 10)
                let (next, o2) = times10.subtractingReportingOverflow(digit)
                if o1 || o2 { overflow = true } else { accumulator = next }
                index += 1
            }
        } else {
            throw JSONParseError(.invalidNumber, at: start)
        }
        var integral = true
        if index < input.count, input[index] == UInt8(ascii: ".") {
            integral = false
            index += 1
            try skipDigits(numberStart: start)
        }
        if index < input.count, input[index] == UInt8(ascii: "e") || input[index] == UInt8(ascii: "E") {
            integral = false
            index += 1
            if index < input.count, input[index] == UInt8(ascii: "+") || input[index] == UInt8(ascii: "-") { index += 1 }
            try skipDigits(numberStart: start)
        }
        if integral && !overflow {
            if negative { return .int(accumulator) }
            if accumulator != .min { return .int(-accumulator) }
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: input[start..<index]), as: UTF8.self)
        guard let double = Double(text), double.isFinite else { throw JSONParseError(.invalidNumber, at: start) }
        if !integral, let exact = Int64(exactly: double) { return .int(exact) }
        return .double(double)
    }

    private mutating func skipDigits(numberStart: Int) throws(JSONParseError) {
        guard index < input.count, isDigit(input[index]) else { throw JSONParseError(.invalidNumber, at: numberStart) }
        while index < input.count, isDigit(input[index]) { index += 1 }
    }

    private func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    // MARK: - Tokens

    private mutating func skipWhitespace() {
        while index < input.count {
            switch input[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return
            }
        }
    }

    private mutating func consumeIf(_ byte: UInt8) throws(JSONParseError) -> Bool {
        guard index < input.count else { throw JSONParseError(.unexpectedEnd, at: index) }
        if input[index] == byte {
            index += 1
            return true
        }
        return false
    }

    private mutating func expect(_ byte: UInt8) throws(JSONParseError) {
        guard index < input.count else { throw JSONParseError(.unexpectedEnd, at: index) }
        guard input[index] == byte else { throw JSONParseError(.unexpectedByte, at: index) }
        index += 1
    }

    private mutating func expectLiteral(_ literal: StaticString) throws(JSONParseError) {
        let count = literal.utf8CodeUnitCount
        guard index + count <= input.count else { throw JSONParseError(.unexpectedEnd, at: input.count) }
        let bytes = UnsafeBufferPointer(start: literal.utf8Start, count: count)
        for offset in 0..<count where input[index + offset] != bytes[offset] {
            throw JSONParseError(.unexpectedByte, at: index + offset)
        }
        index += count
    }
}
