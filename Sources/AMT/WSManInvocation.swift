import TetherJSON
import WSMan

/// A generic WS-Man call described in JSON (the `wsman.invoke` host command):
/// `{resourceUri, action, method?, selectors?, body?}`.
///
/// `action` is `Get`, `Put`, `Delete`, `Enumerate` (Enumerate + Pull of every item) or
/// `Invoke` (a class method named by `method`); a full action URI is accepted too (a method
/// call when it is `resourceUri/Method`). `selectors` is an object of selector names to
/// values. `body` is, for `Put`, the instance's properties; for `Invoke`, the method's input
/// parameters (an object: in order of their names; an array of one-member objects: in that
/// order), where an object `{"resourceUri","selectors"}` becomes an endpoint reference. A plain value; ``run(on:)`` performs it.
public struct WSManInvocation: Sendable {
    public enum Operation: Sendable, Equatable {
        case get, put, delete, enumerate
        case invoke(method: String)
    }

    public var resource: WSManResource
    public var operation: Operation
    public var selectors: [WSManSelector]
    public var body: JSONValue?

    /// Parses the JSON arguments.
    /// - Throws: ``AMTError/invalidArgument(_:)`` naming the bad member.
    public init(json: JSONValue) throws(AMTError) {
        guard let uri = json["resourceUri"]?.stringValue, let resource = WSManResource(uri: uri) else {
            throw .invalidArgument("'resourceUri' must be a CIM, AMT or IPS class URI (http://…/CIM_PowerManagementService)")
        }
        self.resource = resource
        guard let action = json["action"]?.stringValue, !action.isEmpty else {
            throw .invalidArgument("'action' must be Get, Put, Delete, Enumerate, Invoke or an action URI")
        }
        switch action.lowercased() {
        case "get", WSManAction.get.lowercased(): operation = .get
        case "put", WSManAction.put.lowercased(): operation = .put
        case "delete", WSManAction.delete.lowercased(): operation = .delete
        case "enumerate", WSManAction.enumerate.lowercased(): operation = .enumerate
        case "invoke":
            guard let method = json["method"]?.stringValue, !method.isEmpty else {
                throw .invalidArgument("action Invoke needs 'method' (e.g. RequestPowerStateChange)")
            }
            operation = .invoke(method: try Self.checkedName(method, what: "method"))
        default:
            guard action.hasPrefix(resource.uri + "/") else {
                throw .invalidArgument("unknown action '\(action)' for \(resource.className)")
            }
            operation = .invoke(method: try Self.checkedName(String(action.dropFirst(resource.uri.count + 1)), what: "method"))
        }
        if let selectors = json["selectors"], !selectors.isNull {
            guard let members = selectors.objectValue else { throw .invalidArgument("'selectors' must be an object") }
            for name in members.keys { _ = try Self.checkedName(name, what: "selector") }
            self.selectors = members.keys.sorted().map { WSManSelector(name: $0, value: Self.text(members[$0]!)) }
        } else {
            self.selectors = []
        }
        body = json["body"]
        for name in Self.memberNames(of: body) { _ = try Self.checkedName(name, what: "body member") }
        if operation == .put, body?.objectValue == nil {
            throw .invalidArgument("action Put needs 'body': an object of the instance's properties")
        }
    }

    /// Performs the call; returns `{"Header","Body"}` (Enumerate: `{"Items": […]}`).
    public func run(on client: AMTDeviceClient) async throws(AMTError) -> JSONValue {
        switch operation {
        case .get:
            return WSManJSON.envelope(try await client.call(.get(resource, messageID: client.nextMessageID(), selectors: selectors)))
        case .delete:
            return WSManJSON.envelope(try await client.call(.delete(resource, messageID: client.nextMessageID(), selectors: selectors)))
        case .put:
            let instance = try WSManJSON.instance(className: resource.className, from: body ?? .object([:]))
            return WSManJSON.envelope(try await client.call(
                .put(resource, instance: instance, messageID: client.nextMessageID(), selectors: selectors)))
        case .enumerate:
            let items = try await client.enumerate(resource)
            return ["Items": .array(items.map(WSManJSON.object))]
        case .invoke(let method):
            let request = WSManRequest.invoke(
                resource, method: method, inputXML: try inputXML(), messageID: client.nextMessageID(), selectors: selectors)
            return WSManJSON.envelope(try await client.call(request))
        }
    }

    private func inputXML() throws(AMTError) -> String {
        guard let body, !body.isNull else { return "" }
        // An array of one-member objects keeps the parameters in the caller's order.
        let groups = body.arrayValue ?? [body]
        var out = ""
        for group in groups {
            guard let members = group.objectValue else {
                throw .invalidArgument("'body' of Invoke must be an object of parameters (or an array of such objects, in order)")
            }
            for name in members.keys.sorted() {
                for item in members[name]!.arrayValue ?? [members[name]!] {
                    out += "<h:\(name)>\(try parameterXML(item, name: name))</h:\(name)>"
                }
            }
        }
        return out
    }

    private func parameterXML(_ value: JSONValue, name: String) throws(AMTError) -> String {
        guard let object = value.objectValue else { return XMLEscaping.text(Self.text(value)) }
        guard let uri = object["resourceUri"]?.stringValue else {
            throw .invalidArgument("parameter '\(name)': an object must be an endpoint reference {resourceUri, selectors}")
        }
        let selectors = (object["selectors"]?.objectValue ?? [:]).sorted { $0.key < $1.key }
            .map { WSManSelector(name: $0.key, value: Self.text($0.value)) }
        return EndpointReference(resourceURI: uri, selectors: selectors).innerXML
    }

    /// Names become XML element names and URI parts: only XML name characters are accepted, so
    /// a caller cannot inject markup (values, by contrast, are escaped).
    static func checkedName(_ name: String, what: String) throws(AMTError) -> String {
        let bytes = Array(name.utf8)
        let valid = !bytes.isEmpty && bytes.count <= 128 && bytes.enumerated().allSatisfy { index, byte in
            let letter = (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte == 0x5F
            let other = (byte >= 0x30 && byte <= 0x39) || byte == 0x2D || byte == 0x2E
            return letter || (index > 0 && other)
        }
        guard valid else { throw .invalidArgument("\(what) name '\(name)' is not a valid XML name") }
        return name
    }

    /// The member names of `body` (an object, or an array of objects), nested endpoint
    /// references excepted (their selectors are checked where they are written).
    private static func memberNames(of body: JSONValue?) -> [String] {
        guard let body else { return [] }
        return (body.arrayValue ?? [body]).flatMap { $0.objectValue.map { Array($0.keys) } ?? [] }
    }

    static func text(_ value: JSONValue) -> String {
        switch value {
        case .string(let s): s
        case .bool(let b): b ? "true" : "false"
        case .int(let i): String(i)
        case .double(let d): d == d.rounded() && abs(d) < 1e15 ? String(Int64(d)) : String(d)
        case .null: ""
        default: value.jsonString
        }
    }
}
