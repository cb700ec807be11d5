import PluginHost
import Store
import TetherJSON

/// A command's JSON arguments (the Open AMT request body, plus path and query values), read with
/// type checks that turn into field errors instead of crashes or silent coercion.
struct AdminArguments: Sendable {
    /// What a member holds.
    enum Value<T> {
        case absent
        case null
        case value(T)
        case wrongType
    }

    let members: [String: JSONValue]

    /// - Throws: `.badRequest` unless `args` is a JSON object.
    init(_ args: JSONValue, command: String) throws(CommandError) {
        guard let members = args.objectValue else {
            throw CommandError(.badRequest, "\(command) needs a JSON object of arguments")
        }
        self.members = members
    }

    /// True when the member is present (even as null).
    func has(_ key: String) -> Bool { members[key] != nil }

    func string(_ key: String) -> Value<String> {
        guard let raw = members[key] else { return .absent }
        if raw.isNull { return .null }
        return raw.stringValue.map(Value.value) ?? .wrongType
    }

    /// Integers, and strings holding a decimal integer (query parameters arrive as strings).
    func int(_ key: String) -> Value<Int> {
        guard let raw = members[key] else { return .absent }
        if raw.isNull { return .null }
        if let value = raw.intValue { return .value(value) }
        return .wrongType
    }

    func bool(_ key: String) -> Value<Bool> {
        guard let raw = members[key] else { return .absent }
        if raw.isNull { return .null }
        return raw.boolValue.map(Value.value) ?? .wrongType
    }

    /// A present, non-null string (wrong types read as nil; callers validate types separately).
    func text(_ key: String) -> String? {
        if case .value(let text) = string(key) { return text }
        return nil
    }

    /// A required key (a name or GUID) for get/delete: a non-empty string.
    func requiredKey(_ key: String, command: String) throws(CommandError) -> String {
        guard let value = text(key), !value.isEmpty else {
            throw CommandError(.badRequest, "\(command) needs {\"\(key)\": string}",
                detail: .array([FieldError(field: key, message: "\(key) is required").json]))
        }
        return value
    }

    /// The `tenantId` the request runs for (the REST layer passes the caller's tenant); default "".
    var tenantId: String { text("tenantId") ?? "" }

    /// Who made the change, for the audit log (default "admin").
    var actor: String { text("actor") ?? "admin" }

    /// `version` as an integer: a number or a numeric string (Open AMT returns it as a string).
    var version: Int? {
        guard let raw = members["version"] else { return nil }
        if let value = raw.intValue { return value }
        if let text = raw.stringValue { return Int(text) }
        return nil
    }

    /// A list of strings: a JSON array of strings, or (for query parameters) a comma-separated string.
    func stringList(_ key: String, allowCommaString: Bool = false) -> Value<[String]> {
        guard let raw = members[key] else { return .absent }
        if raw.isNull { return .null }
        if allowCommaString, let text = raw.stringValue {
            return .value(text.split(separator: ",").map { String($0) }.filter { !$0.isEmpty })
        }
        guard let items = raw.arrayValue else { return .wrongType }
        var strings: [String] = []
        for item in items {
            guard let text = item.stringValue else { return .wrongType }
            strings.append(text)
        }
        return .value(strings)
    }
}

extension FieldError {
    /// `{"field": …, "message": …}`, the element of a validation error's `detail` array.
    var json: JSONValue { ["field": .string(field), "message": .string(message)] }
}
