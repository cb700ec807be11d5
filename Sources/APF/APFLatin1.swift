/// Byte-string ⇄ `String` mapping used for APF string fields (Latin-1, lossless for any bytes).
enum APFLatin1 {
    /// Each byte becomes the scalar with the same value.
    static func string(from bytes: ArraySlice<UInt8>) -> String {
        if bytes.allSatisfy({ $0 < 0x80 }) {
            return String(decoding: bytes, as: UTF8.self)
        }
        var scalars = String.UnicodeScalarView()
        for byte in bytes { scalars.append(Unicode.Scalar(byte)) }
        return String(scalars)
    }

    /// Latin-1 bytes when every scalar is ≤ U+00FF, otherwise the UTF-8 bytes.
    static func bytes(of string: String) -> [UInt8] {
        let utf8 = string.utf8
        if utf8.allSatisfy({ $0 < 0x80 }) { return Array(utf8) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(utf8.count)
        for scalar in string.unicodeScalars {
            guard scalar.value <= 0xff else { return Array(utf8) }
            bytes.append(UInt8(scalar.value))
        }
        return bytes
    }
}
