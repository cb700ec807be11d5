/// A bounds-checked cursor over the decoder's buffer for one parse attempt.
///
/// Running out of bytes throws ``Stop/needMore(_:)`` with the total frame length known to be
/// required so far; a limit or format violation throws ``Stop/fatal(_:)``. Lengths are checked
/// against the limits before availability, so an oversized length fails without waiting.
struct APFFrameReader {
    enum Stop: Error {
        /// At least this many bytes (counted from the frame start) are needed.
        case needMore(Int)
        case fatal(APFDecodeError)
    }

    private let bytes: [UInt8]
    private let start: Int
    private(set) var offset: Int
    let limits: APFLimits

    init(bytes: [UInt8], start: Int, limits: APFLimits) {
        self.bytes = bytes
        self.start = start
        self.offset = start
        self.limits = limits
    }

    /// Bytes consumed from the frame start.
    var consumed: Int { offset - start }

    /// Throws `needMore` unless `count` more bytes are available.
    func need(_ count: Int) throws(Stop) {
        if bytes.count - offset < count { throw .needMore(consumed + count) }
    }

    mutating func u8() throws(Stop) -> UInt8 {
        try need(1)
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func u32() throws(Stop) -> UInt32 {
        try need(4)
        defer { offset += 4 }
        return UInt32(bytes[offset]) << 24 | UInt32(bytes[offset + 1]) << 16
            | UInt32(bytes[offset + 2]) << 8 | UInt32(bytes[offset + 3])
    }

    /// A boolean byte: zero is false, anything else true (SSH semantics).
    mutating func bool() throws(Stop) -> Bool {
        try u8() != 0
    }

    /// A u32 length followed by that many raw bytes, at most `limit` long.
    mutating func lengthPrefixed(_ field: String, limit: Int) throws(Stop) -> ArraySlice<UInt8> {
        let length = try u32()
        if UInt64(length) > UInt64(max(limit, 0)) {
            throw .fatal(.fieldTooLong(field: field, length: length, limit: limit))
        }
        let count = Int(length)
        try need(count)
        defer { offset += count }
        return bytes[offset..<offset + count]
    }

    /// A string field (Latin-1), at most ``APFLimits/maxStringLength`` bytes.
    mutating func string(_ field: String) throws(Stop) -> String {
        APFLatin1.string(from: try lengthPrefixed(field, limit: limits.maxStringLength))
    }

    /// A data field, at most ``APFLimits/maxDataLength`` bytes.
    mutating func data(_ field: String) throws(Stop) -> [UInt8] {
        Array(try lengthPrefixed(field, limit: limits.maxDataLength))
    }

    /// `count` raw bytes.
    mutating func raw(_ count: Int) throws(Stop) -> [UInt8] {
        try need(count)
        defer { offset += count }
        return Array(bytes[offset..<offset + count])
    }
}
