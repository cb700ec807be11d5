/// The 16-byte system UUID that AMT sends in PROTOCOLVERSION, and its GUID string form.
///
/// AMT sends the SMBIOS bytes `b0…b15`. The device GUID used everywhere else (database keys,
/// secret paths, `Host:` headers) is the Microsoft-style rendering with the first three groups
/// byte-swapped, in lower case:
///
///     b3b2b1b0-b5b4-b7b6-b8b9-b10b11b12b13b14b15
///
/// Raw `44 45 4c 4c 4b 00 10 42 80 33 b6 c0 4f 50 46 33` ⇄ `4c4c4544-004b-4210-8033-b6c04f504633`.
/// A plain value; safe to share across threads.
public struct AMTUUID: Sendable, Hashable, CustomStringConvertible {
    /// Raw bytes 0–7 (wire order, big-endian packed).
    private let high: UInt64
    /// Raw bytes 8–15 (wire order, big-endian packed).
    private let low: UInt64

    /// The permutation between raw byte positions and GUID-string byte positions (an involution).
    private static let guidOrder = [3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15]

    /// Creates a UUID from the 16 raw bytes in wire (SMBIOS) order; `nil` unless exactly 16 bytes.
    public init?(rawBytes: some Collection<UInt8>) {
        guard rawBytes.count == 16 else { return nil }
        var high: UInt64 = 0
        var low: UInt64 = 0
        for (index, byte) in rawBytes.enumerated() {
            if index < 8 {
                high = high << 8 | UInt64(byte)
            } else {
                low = low << 8 | UInt64(byte)
            }
        }
        self.high = high
        self.low = low
    }

    /// Parses a GUID string such as `4c4c4544-004b-4210-8033-b6c04f504633` (either case, with
    /// or without the four hyphens, optionally in braces) into the raw byte order AMT sends.
    /// Returns `nil` for anything else.
    public init?(guidString: String) {
        var text = Substring(guidString)
        if text.first == "{" && text.last == "}" && text.count >= 2 {
            text = text.dropFirst().dropLast()
        }
        let hyphenated = text.count == 36
        if hyphenated {
            for (offset, character) in text.enumerated() where [8, 13, 18, 23].contains(offset) {
                guard character == "-" else { return nil }
            }
        }
        let digits = hyphenated ? text.filter { $0 != "-" } : String(text)
        guard let guidBytes = Self.parseHex(digits) else { return nil }
        self.init(rawBytes: Self.guidOrder.map { guidBytes[$0] })
    }

    /// Parses 32 hex digits that are already in raw wire order, e.g. the WS-Man
    /// `CIM_ComputerSystemPackage.PlatformGUID` value `44454C4C4B0010428033B6C04F504633`.
    public init?(rawHexString: String) {
        guard let bytes = Self.parseHex(rawHexString) else { return nil }
        self.init(rawBytes: bytes)
    }

    /// The 16 bytes in wire (SMBIOS) order, as carried in PROTOCOLVERSION.
    public var rawBytes: [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(16)
        for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: high >> UInt64(shift))) }
        for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: low >> UInt64(shift))) }
        return bytes
    }

    /// The lower-case GUID string with the first three groups byte-swapped
    /// (`4c4c4544-004b-4210-8033-b6c04f504633`).
    public var guidString: String {
        let raw = rawBytes
        var text = ""
        text.reserveCapacity(36)
        for (position, rawIndex) in Self.guidOrder.enumerated() {
            if position == 4 || position == 6 || position == 8 || position == 10 { text.append("-") }
            Self.appendHex(raw[rawIndex], to: &text)
        }
        return text
    }

    /// The 32 upper-case hex digits of the raw bytes, in wire order (the WS-Man PlatformGUID form).
    public var rawHexString: String {
        var text = ""
        text.reserveCapacity(32)
        for byte in rawBytes { Self.appendHex(byte, to: &text, upperCase: true) }
        return text
    }

    /// Same as ``guidString``.
    public var description: String { guidString }

    private static func appendHex(_ byte: UInt8, to text: inout String, upperCase: Bool = false) {
        let digits: [Character] = upperCase
            ? ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "A", "B", "C", "D", "E", "F"]
            : ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "a", "b", "c", "d", "e", "f"]
        text.append(digits[Int(byte >> 4)])
        text.append(digits[Int(byte & 0x0f)])
    }

    /// Exactly 32 hex digits → 16 bytes; `nil` otherwise.
    private static func parseHex(_ text: String) -> [UInt8]? {
        let units = Array(text.utf8)
        guard units.count == 32 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(16)
        var index = 0
        while index < 32 {
            guard let high = hexValue(units[index]), let low = hexValue(units[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }

    private static func hexValue(_ unit: UInt8) -> UInt8? {
        switch unit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): unit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): unit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): unit - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
