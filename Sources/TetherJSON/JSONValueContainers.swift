/// The keyed container of ``JSONValueEncoding``: members go straight into a ``JSONObjectBuilder``.
struct JSONKeyedEncoding<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let encoder: JSONValueEncoding
    let builder: JSONObjectBuilder
    /// The keys from the encoder to this container when it is nested (usually none).
    let nestedKeys: [any CodingKey]

    var codingPath: [any CodingKey] { encoder.codingPath + nestedKeys }

    private func path(_ key: Key) -> [any CodingKey] { encoder.path(nestedKeys, key) }

    mutating func encodeNil(forKey key: Key) { builder.set(.null, for: key.stringValue) }
    mutating func encode(_ value: Bool, forKey key: Key) { builder.set(.bool(value), for: key.stringValue) }
    mutating func encode(_ value: String, forKey key: Key) { builder.set(.string(value), for: key.stringValue) }
    mutating func encode(_ value: Double, forKey key: Key) throws {
        builder.set(try encoder.options.number(value, path(key)), for: key.stringValue)
    }
    mutating func encode(_ value: Float, forKey key: Key) throws {
        builder.set(try encoder.number(value, path(key)), for: key.stringValue)
    }
    mutating func encode(_ value: Int, forKey key: Key) { builder.set(.int(Int64(value)), for: key.stringValue) }
    mutating func encode(_ value: Int8, forKey key: Key) { builder.set(.int(Int64(value)), for: key.stringValue) }
    mutating func encode(_ value: Int16, forKey key: Key) { builder.set(.int(Int64(value)), for: key.stringValue) }
    mutating func encode(_ value: Int32, forKey key: Key) { builder.set(.int(Int64(value)), for: key.stringValue) }
    mutating func encode(_ value: Int64, forKey key: Key) { builder.set(.int(value), for: key.stringValue) }
    mutating func encode(_ value: UInt, forKey key: Key) { builder.set(JSONValueEncoding.integer(value), for: key.stringValue) }
    mutating func encode(_ value: UInt8, forKey key: Key) { builder.set(.int(Int64(value)), for: key.stringValue) }
    mutating func encode(_ value: UInt16, forKey key: Key) { builder.set(.int(Int64(value)), for: key.stringValue) }
    mutating func encode(_ value: UInt32, forKey key: Key) { builder.set(.int(Int64(value)), for: key.stringValue) }
    mutating func encode(_ value: UInt64, forKey key: Key) { builder.set(JSONValueEncoding.integer(value), for: key.stringValue) }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        builder.set(try encoder.child(value, parentKeys: nestedKeys, key: key), for: key.stringValue)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        let nested = JSONObjectBuilder()
        builder.setPending(nested, for: key.stringValue)
        return KeyedEncodingContainer(JSONKeyedEncoding<NestedKey>(encoder: encoder, builder: nested, nestedKeys: nestedKeys + [key]))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let nested = JSONArrayBuilder()
        builder.setPending(nested, for: key.stringValue)
        return JSONUnkeyedEncoding(encoder: encoder, builder: nested, nestedKeys: nestedKeys + [key])
    }

    mutating func superEncoder() -> any Encoder { superEncoder(at: JSONCodingKey.super) }

    mutating func superEncoder(forKey key: Key) -> any Encoder { superEncoder(at: key) }

    private func superEncoder(at key: any CodingKey) -> any Encoder {
        let nested = JSONValueEncoding(options: encoder.options, parent: encoder, parentKeys: nestedKeys, key: key)
        builder.setPending(nested, for: key.stringValue)
        return nested
    }
}

/// The unkeyed container of ``JSONValueEncoding``: elements go straight into a ``JSONArrayBuilder``.
struct JSONUnkeyedEncoding: UnkeyedEncodingContainer {
    let encoder: JSONValueEncoding
    let builder: JSONArrayBuilder
    /// The keys from the encoder to this container when it is nested (usually none).
    let nestedKeys: [any CodingKey]

    var codingPath: [any CodingKey] { encoder.codingPath + nestedKeys }
    var count: Int { builder.elements.count }

    private var nextKey: JSONCodingKey { JSONCodingKey(intValue: count) }

    mutating func encodeNil() { builder.append(.null) }
    mutating func encode(_ value: Bool) { builder.append(.bool(value)) }
    mutating func encode(_ value: String) { builder.append(.string(value)) }
    mutating func encode(_ value: Double) throws { builder.append(try encoder.options.number(value, encoder.path(nestedKeys, nextKey))) }
    mutating func encode(_ value: Float) throws { builder.append(try encoder.number(value, encoder.path(nestedKeys, nextKey))) }
    mutating func encode(_ value: Int) { builder.append(.int(Int64(value))) }
    mutating func encode(_ value: Int8) { builder.append(.int(Int64(value))) }
    mutating func encode(_ value: Int16) { builder.append(.int(Int64(value))) }
    mutating func encode(_ value: Int32) { builder.append(.int(Int64(value))) }
    mutating func encode(_ value: Int64) { builder.append(.int(value)) }
    mutating func encode(_ value: UInt) { builder.append(JSONValueEncoding.integer(value)) }
    mutating func encode(_ value: UInt8) { builder.append(.int(Int64(value))) }
    mutating func encode(_ value: UInt16) { builder.append(.int(Int64(value))) }
    mutating func encode(_ value: UInt32) { builder.append(.int(Int64(value))) }
    mutating func encode(_ value: UInt64) { builder.append(JSONValueEncoding.integer(value)) }

    mutating func encode<T: Encodable>(_ value: T) throws {
        builder.append(try encoder.child(value, parentKeys: nestedKeys, key: nextKey))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let nested = JSONObjectBuilder()
        let key = nextKey
        builder.appendPending(nested)
        return KeyedEncodingContainer(JSONKeyedEncoding<NestedKey>(encoder: encoder, builder: nested, nestedKeys: nestedKeys + [key]))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let nested = JSONArrayBuilder()
        let key = nextKey
        builder.appendPending(nested)
        return JSONUnkeyedEncoding(encoder: encoder, builder: nested, nestedKeys: nestedKeys + [key])
    }

    mutating func superEncoder() -> any Encoder {
        let nested = JSONValueEncoding(options: encoder.options, parent: encoder, parentKeys: nestedKeys, key: nextKey)
        builder.appendPending(nested)
        return nested
    }
}
