/// A value whose JSON is known only when encoding is over: a nested container or a super encoder.
protocol PendingJSONValue: AnyObject {
    /// The value, or `nil` if nothing was encoded (written as `{}`).
    func finish() -> JSONValue?
}

/// The members of an object being encoded. Values encoded directly are stored as they come;
/// nested containers and super encoders are resolved by ``finish()``. A key set twice keeps the last.
final class JSONObjectBuilder: PendingJSONValue {
    private var members: [String: JSONValue] = [:]
    private var pending: [String: any PendingJSONValue] = [:]

    func set(_ value: JSONValue, for key: String) {
        members[key] = value
        if !pending.isEmpty { pending[key] = nil }
    }

    func setPending(_ value: any PendingJSONValue, for key: String) {
        pending[key] = value
    }

    func finish() -> JSONValue? {
        for (key, value) in pending { members[key] = value.finish() ?? .object([:]) }
        pending = [:]
        return .object(members)
    }
}

/// The elements of an array being encoded, with nested containers and super encoders resolved
/// by ``finish()`` in their places.
final class JSONArrayBuilder: PendingJSONValue {
    private(set) var elements: [JSONValue] = []
    private var pending: [(index: Int, value: any PendingJSONValue)] = []

    func append(_ value: JSONValue) { elements.append(value) }

    func appendPending(_ value: any PendingJSONValue) {
        pending.append((elements.count, value))
        elements.append(.null)
    }

    func finish() -> JSONValue? {
        for (index, value) in pending { elements[index] = value.finish() ?? .object([:]) }
        pending = []
        return .array(elements)
    }
}

/// Keys the encoder makes itself: array positions and `"super"`.
struct JSONCodingKey: CodingKey {
    let stringValue: String
    let intValue: Int?

    init(stringValue: String) {
        self.stringValue = stringValue
        intValue = nil
    }

    init(intValue: Int) {
        stringValue = "Index \(intValue)"
        self.intValue = intValue
    }

    static let `super` = JSONCodingKey(stringValue: "super")
}
