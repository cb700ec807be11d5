/// The `Encoder` behind ``JSONValueEncoder``: one per value that encodes through its own
/// `encode(to:)` (structs, enums, collections); numbers, strings, Booleans and `JSONValue`s are
/// converted directly, without an encoder. It is its own single-value container.
///
/// The coding path is kept as a parent link and computed only when asked for (error contexts),
/// so encoding a member costs no path array.
final class JSONValueEncoding: Encoder, SingleValueEncodingContainer, PendingJSONValue {
    enum Storage {
        case empty
        case value(JSONValue)
        case object(JSONObjectBuilder)
        case array(JSONArrayBuilder)
    }

    let options: JSONValueEncoder
    private let parent: JSONValueEncoding?
    private let parentKeys: [any CodingKey]
    private let key: (any CodingKey)?
    private var storage = Storage.empty

    /// An encoder at `parent`'s path followed by `parentKeys` (the keys of nested containers, if
    /// any) and `key`.
    init(options: JSONValueEncoder, parent: JSONValueEncoding?, parentKeys: [any CodingKey] = [], key: (any CodingKey)?) {
        self.options = options
        self.parent = parent
        self.parentKeys = parentKeys
        self.key = key
    }

    var codingPath: [any CodingKey] {
        var path = parent?.codingPath ?? []
        path.append(contentsOf: parentKeys)
        if let key { path.append(key) }
        return path
    }

    var userInfo: [CodingUserInfoKey: Any] { [:] }

    /// What was encoded, or `nil` when nothing was.
    func finish() -> JSONValue? {
        switch storage {
        case .empty: return nil
        case .value(let value): return value
        case .object(let builder): return builder.finish()
        case .array(let builder): return builder.finish()
        }
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        let builder: JSONObjectBuilder
        if case .object(let existing) = storage {
            builder = existing
        } else {
            builder = JSONObjectBuilder()
            storage = .object(builder)
        }
        return KeyedEncodingContainer(JSONKeyedEncoding<Key>(encoder: self, builder: builder, nestedKeys: []))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        let builder: JSONArrayBuilder
        if case .array(let existing) = storage {
            builder = existing
        } else {
            builder = JSONArrayBuilder()
            storage = .array(builder)
        }
        return JSONUnkeyedEncoding(encoder: self, builder: builder, nestedKeys: [])
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { self }

    // MARK: - Values

    /// The value of `value` encoded as a member at `parentKeys` + `key` below this encoder.
    func child<T: Encodable>(_ value: T, parentKeys: [any CodingKey], key: any CodingKey) throws -> JSONValue {
        if let direct = try direct(value, parentKeys: parentKeys, key: key) { return direct }
        let encoder = JSONValueEncoding(options: options, parent: self, parentKeys: parentKeys, key: key)
        try value.encode(to: encoder)
        return encoder.finish() ?? .object([:])
    }

    /// `value` converted without an encoder when it is a number, string, Boolean or `JSONValue`
    /// (checked by comparing types, which is cheaper than casting).
    func direct<T: Encodable>(_ value: T, parentKeys: [any CodingKey] = [], key: (any CodingKey)? = nil) throws -> JSONValue? {
        let type = T.self
        if type == JSONValue.self {
            return try options.normalized(value as! JSONValue, self.path(parentKeys, key))
        }
        if type == String.self { return .string(value as! String) }
        if type == Int.self { return .int(Int64(value as! Int)) }
        if type == Bool.self { return .bool(value as! Bool) }
        if type == Double.self { return try options.number(value as! Double, self.path(parentKeys, key)) }
        if type == Int64.self { return .int(value as! Int64) }
        if type == Int32.self { return .int(Int64(value as! Int32)) }
        if type == UInt8.self { return .int(Int64(value as! UInt8)) }
        if type == Float.self { return try number(value as! Float, self.path(parentKeys, key)) }
        return nil
    }

    /// A `Float` as Foundation writes it (its shortest text), read back as a `Double`.
    func number(_ value: Float, _ path: @autoclosure () -> [any CodingKey]) throws -> JSONValue {
        guard value.isFinite, let widened = Double(value.description) else {
            return try options.number(Double(value), path())
        }
        return try options.number(widened, path())
    }

    /// An unsigned integer: `.int` when it fits, else the nearest `.double` (as parsing its digits would).
    static func integer(_ value: some UnsignedInteger & FixedWidthInteger) -> JSONValue {
        if let exact = Int64(exactly: value) { return .int(exact) }
        return .double(Double(value))
    }

    func path(_ parentKeys: [any CodingKey], _ key: (any CodingKey)?) -> [any CodingKey] {
        var path = codingPath
        path.append(contentsOf: parentKeys)
        if let key { path.append(key) }
        return path
    }

    // MARK: - SingleValueEncodingContainer

    private func set(_ value: JSONValue) { storage = .value(value) }

    func encodeNil() { set(.null) }
    func encode(_ value: Bool) { set(.bool(value)) }
    func encode(_ value: String) { set(.string(value)) }
    func encode(_ value: Double) throws { set(try options.number(value, codingPath)) }
    func encode(_ value: Float) throws { set(try number(value, codingPath)) }
    func encode(_ value: Int) { set(.int(Int64(value))) }
    func encode(_ value: Int8) { set(.int(Int64(value))) }
    func encode(_ value: Int16) { set(.int(Int64(value))) }
    func encode(_ value: Int32) { set(.int(Int64(value))) }
    func encode(_ value: Int64) { set(.int(value)) }
    func encode(_ value: UInt) { set(Self.integer(value)) }
    func encode(_ value: UInt8) { set(.int(Int64(value))) }
    func encode(_ value: UInt16) { set(.int(Int64(value))) }
    func encode(_ value: UInt32) { set(.int(Int64(value))) }
    func encode(_ value: UInt64) { set(Self.integer(value)) }

    func encode<T: Encodable>(_ value: T) throws {
        if let direct = try direct(value) {
            set(direct)
        } else {
            // The value is encoded at this same path, into this encoder's storage.
            storage = .empty
            try value.encode(to: self)
            if case .empty = storage { storage = .value(.object([:])) }
        }
    }
}
