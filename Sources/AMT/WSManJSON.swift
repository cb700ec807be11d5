import TetherJSON
import WSMan

/// Converts WS-Man values to JSON the way Open AMT's MPS shows them (xml2js conventions):
/// `true`/`false` become booleans, decimal numbers become numbers (except `ElementName` and
/// `InstanceID` values with a leading zero), repeated elements become arrays, structured
/// elements objects. Pure functions.
public enum WSManJSON {
    /// An instance's properties as a JSON object.
    public static func object(_ instance: WSManInstance) -> JSONValue {
        var members: [String: JSONValue] = [:]
        members.reserveCapacity(instance.properties.count)
        for property in instance.properties {
            members[property.name] = value(property.value, name: property.name)
        }
        return .object(members)
    }

    /// One property value.
    public static func value(_ value: WSManValue, name: String = "") -> JSONValue {
        switch value {
        case .text(let text): scalar(text, name: name)
        case .list(let items): .array(items.map { self.value($0, name: name) })
        case .object(let instance): object(instance)
        }
    }

    /// A leaf text converted like xml2js with `parseNumbers` and `parseBooleans`.
    public static func scalar(_ text: String, name: String = "") -> JSONValue {
        if text == "true" { return .bool(true) }
        if text == "false" { return .bool(false) }
        let keepsLeadingZero = (name == "ElementName" || name == "InstanceID") && text.count > 1 && text.hasPrefix("0")
        if !keepsLeadingZero, isNumeric(text) {
            if let int = Int64(text) { return .int(int) }
            if let double = Double(text) { return .double(double) }
        }
        return .string(text)
    }

    private static func isNumeric(_ text: String) -> Bool {
        guard !text.isEmpty, text.count < 19 else { return false }
        var digits = 0
        for (index, c) in text.enumerated() {
            if c.isASCII, c.isNumber { digits += 1; continue }
            if c == "-" && index == 0 { continue }
            if c == "." { continue }
            return false
        }
        return digits > 0 && text.filter { $0 == "." }.count <= 1
    }

    /// The header fields MPS shows (`To`, `RelatesTo`, `Action`, `MessageID`, `ResourceURI`).
    public static func header(_ header: WSManHeader) -> JSONValue {
        var members: [String: JSONValue] = [:]
        if let to = header.to { members["To"] = .string(to) }
        if let relatesTo = header.relatesTo { members["RelatesTo"] = scalar(relatesTo) }
        if let action = header.action { members["Action"] = .string(action) }
        if let messageID = header.messageID { members["MessageID"] = .string(messageID) }
        if let resourceURI = header.resourceURI { members["ResourceURI"] = .string(resourceURI) }
        return .object(members)
    }

    /// `{"Header": {…}, "Body": {<element>: {…}, …}}` for a whole reply.
    public static func envelope(_ envelope: WSManEnvelope) -> JSONValue {
        var body: [String: JSONValue] = [:]
        for child in envelope.body.children {
            body[child.localName] = child.children.isEmpty
                ? scalar(child.trimmedText, name: child.localName) : object(WSManInstance(element: child))
        }
        return ["Header": header(envelope.header), "Body": .object(body)]
    }

    /// Builds an instance from a JSON object (for Put). Properties are written in code-point
    /// order of their names, which is the order AMT itself lists them in.
    /// - Throws: ``AMTError/invalidArgument(_:)`` for values that cannot be WS-Man text.
    public static func instance(className: String, from json: JSONValue) throws(AMTError) -> WSManInstance {
        guard let members = json.objectValue else {
            throw .invalidArgument("\(className) must be a JSON object of properties")
        }
        var instance = WSManInstance(className: className)
        for name in members.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
            instance.properties.append(.init(name: name, value: try wsmanValue(members[name]!, name: name)))
        }
        return instance
    }

    /// JSON → WS-Man text value (arrays become repeated elements, `null` an empty element).
    public static func wsmanValue(_ json: JSONValue, name: String) throws(AMTError) -> WSManValue {
        switch json {
        case .null: return .text("")
        case .bool(let flag): return .bool(flag)
        case .int(let int): return .text(String(int))
        case .double(let double):
            return .text(double == double.rounded() && abs(double) < 1e15 ? String(Int64(double)) : String(double))
        case .string(let text): return .text(text)
        case .array(let items):
            var values: [WSManValue] = []
            for item in items { values.append(try wsmanValue(item, name: name)) }
            return .list(values)
        case .object(let members):
            var nested = WSManInstance(className: name)
            for key in members.keys.sorted() {
                nested.properties.append(.init(name: key, value: try wsmanValue(members[key]!, name: key)))
            }
            return .object(nested)
        }
    }
}
