/// A JSON value. Used for everything that crosses the plugin ABI as UTF-8 JSON, by the host and
/// by Swift plugins (each image has its own copy of this type; only bytes cross the boundary).
///
/// Numbers: an integer literal that fits in `Int64` (and any other number whose value is an exact
/// `Int64`, such as `1.0` or `1e3`) is `.int`; every other number is `.double`.
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])
}

extension JSONValue {
    /// Parses UTF-8 JSON bytes (any top-level value) in one linear pass, within `limits`.
    ///
    /// Refuses (with a terse `JSONParseError` giving the byte offset): invalid syntax or UTF-8,
    /// nesting deeper than `limits.maximumDepth`, input longer than `limits.maximumBytes`,
    /// duplicate member names, lone surrogates, and anything but whitespace after the value.
    public init(parsing bytes: some Collection<UInt8>, limits: JSONParseLimits = .default) throws(JSONParseError) {
        let result: Result<JSONValue, JSONParseError>? = bytes.withContiguousStorageIfAvailable { buffer in
            Result { () throws(JSONParseError) in try JSONParser.parse(buffer, limits: limits) }
        }
        if let result {
            self = try result.get()
        } else {
            let copy = Array(bytes)
            self = try copy.withUnsafeBufferPointer { buffer throws(JSONParseError) in
                try JSONParser.parse(buffer, limits: limits)
            }
        }
    }

    /// Parses a JSON string.
    public init(parsing text: String, limits: JSONParseLimits = .default) throws(JSONParseError) {
        var text = text
        let result = text.withUTF8 { buffer in
            Result { () throws(JSONParseError) in try JSONParser.parse(buffer, limits: limits) }
        }
        self = try result.get()
    }

    /// Encodes `self` as compact UTF-8 JSON with sorted keys (stable output). Non-finite doubles
    /// become `null`; `/` is not escaped.
    public func encodedBytes() -> [UInt8] {
        encodedBytes(sortingKeys: true)
    }

    /// Encodes `self` as compact UTF-8 JSON; with `sortingKeys` false, object members come in
    /// the dictionary's own order, which saves a sort per object where no one compares the text
    /// (the plugin crossings).
    public func encodedBytes(sortingKeys: Bool) -> [UInt8] {
        var writer = JSONWriter(sortsKeys: sortingKeys)
        writer.write(self)
        return writer.bytes
    }

    /// The JSON text of `self`.
    public var jsonString: String { String(decoding: encodedBytes(), as: UTF8.self) }
}
