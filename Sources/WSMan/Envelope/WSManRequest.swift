/// A WS-Management request envelope, rendered in the exact single-line shape Intel AMT
/// clients send (SOAP 1.2 as default namespace, `a:` addressing, `w:` wsman; header order
/// Action, To, ResourceURI, MessageID, ReplyTo, OperationTimeout, [SelectorSet]).
///
/// A plain value; build one with the static factories (``get(_:messageID:selectors:)`` …)
/// and send ``xml`` (or ``utf8``) as the HTTP body.
public struct WSManRequest: Sendable, Equatable {
    /// The action URI.
    public var action: String
    /// The resource URI.
    public var resourceURI: String
    /// The MessageID (AMT clients use a decimal counter; AMT echoes it in `RelatesTo`).
    public var messageID: String
    /// The `To` address (default `/wsman`).
    public var to: String
    /// `OperationTimeout` as an xs:duration (default `PT60S`).
    public var operationTimeout: String
    /// Header selectors (omitted when empty).
    public var selectors: [WSManSelector]
    /// The XML inside `<Body>` (already escaped; empty for Get/Delete).
    public var bodyXML: String

    /// Creates a request from its parts.
    public init(
        action: String, resourceURI: String, messageID: String, to: String = "/wsman",
        operationTimeout: String = "PT60S", selectors: [WSManSelector] = [], bodyXML: String = ""
    ) {
        self.action = action
        self.resourceURI = resourceURI
        self.messageID = messageID
        self.to = to
        self.operationTimeout = operationTimeout
        self.selectors = selectors
        self.bodyXML = bodyXML
    }

    /// The complete envelope text.
    public var xml: String { String(decoding: utf8, as: UTF8.self) }

    /// The envelope as UTF-8 bytes (the HTTP body), written into one buffer.
    public var utf8: [UInt8] {
        let selectorSet = WSManSelector.selectorSetXML(selectors, prefix: "w", declareNamespace: false)
        var out: [UInt8] = []
        out.reserveCapacity(
            Self.head.count + 320 + action.utf8.count + to.utf8.count + resourceURI.utf8.count + messageID.utf8.count
                + selectorSet.utf8.count + bodyXML.utf8.count)
        out.append(contentsOf: Self.head)
        func element(_ open: StaticString, _ value: String, _ close: StaticString) {
            append(open, to: &out)
            XMLEscaping.appendText(value, to: &out)
            append(close, to: &out)
        }
        element("<a:Action>", action, "</a:Action>")
        element("<a:To>", to, "</a:To>")
        element("<w:ResourceURI>", resourceURI, "</w:ResourceURI>")
        element("<a:MessageID>", messageID, "</a:MessageID>")
        out.append(contentsOf: Self.replyTo)
        element("<w:OperationTimeout>", operationTimeout, "</w:OperationTimeout>")
        out.append(contentsOf: selectorSet.utf8)
        append("</Header><Body>", to: &out)
        out.append(contentsOf: bodyXML.utf8)
        append("</Body></Envelope>", to: &out)
        return out
    }

    /// Everything up to the first header, the same for every request.
    private static let head = Array(
        ("<?xml version=\"1.0\" encoding=\"utf-8\"?>"
            + "<Envelope xmlns:xsi=\"\(WSManNamespace.xsi)\" xmlns:xsd=\"\(WSManNamespace.xsd)\""
            + " xmlns:a=\"\(WSManNamespace.addressing)\" xmlns:w=\"\(WSManNamespace.wsman)\""
            + " xmlns=\"\(WSManNamespace.soapEnvelope)\"><Header>").utf8)

    private static let replyTo = Array("<a:ReplyTo><a:Address>\(WSManNamespace.anonymousRole)</a:Address></a:ReplyTo>".utf8)

    private func append(_ literal: StaticString, to out: inout [UInt8]) {
        literal.withUTF8Buffer { out.append(contentsOf: $0) }
    }
}

// MARK: - Generic operations

extension WSManRequest {
    /// WS-Transfer Get of a (singleton or selected) instance.
    public static func get(_ resource: WSManResource, messageID: String, selectors: [WSManSelector] = []) -> WSManRequest {
        WSManRequest(action: WSManAction.get, resourceURI: resource.uri, messageID: messageID, selectors: selectors)
    }

    /// WS-Transfer Put of an instance (`instance` serialised as `<h:Class xmlns:h="uri">…`).
    public static func put(
        _ resource: WSManResource, instance: WSManInstance, messageID: String, selectors: [WSManSelector] = []
    ) -> WSManRequest {
        var named = instance
        named.className = resource.className
        return put(resource, bodyXML: named.xml(prefix: "h", namespaceURI: resource.uri),
                   messageID: messageID, selectors: selectors)
    }

    /// WS-Transfer Put with a caller-built body.
    public static func put(
        _ resource: WSManResource, bodyXML: String, messageID: String, selectors: [WSManSelector] = []
    ) -> WSManRequest {
        WSManRequest(action: WSManAction.put, resourceURI: resource.uri, messageID: messageID,
                     selectors: selectors, bodyXML: bodyXML)
    }

    /// WS-Transfer Delete of the selected instance.
    public static func delete(_ resource: WSManResource, messageID: String, selectors: [WSManSelector]) -> WSManRequest {
        WSManRequest(action: WSManAction.delete, resourceURI: resource.uri, messageID: messageID, selectors: selectors)
    }

    /// WS-Enumeration Enumerate (returns an EnumerationContext to Pull with).
    ///
    /// With `optimizedMaxElements`, the request asks for DSP0226 optimized enumeration
    /// (`<w:OptimizeEnumeration/><w:MaxElements>n</w:MaxElements>`): a device that supports it
    /// returns up to n items in the EnumerateResponse itself, with `EndOfSequence` when there are
    /// no more, which saves the first Pull; one that does not returns a plain context.
    public static func enumerate(_ resource: WSManResource, messageID: String, optimizedMaxElements: Int? = nil) -> WSManRequest {
        let body = optimizedMaxElements.map {
            "<Enumerate xmlns=\"\(WSManNamespace.enumeration)\"><w:OptimizeEnumeration></w:OptimizeEnumeration>"
                + "<w:MaxElements>\(max(1, $0))</w:MaxElements></Enumerate>"
        } ?? "<Enumerate xmlns=\"\(WSManNamespace.enumeration)\" />"
        return WSManRequest(action: WSManAction.enumerate, resourceURI: resource.uri, messageID: messageID, bodyXML: body)
    }

    /// WS-Enumeration Pull with a context from a previous Enumerate/Pull.
    public static func pull(
        _ resource: WSManResource, context: String, messageID: String,
        maxElements: Int = 999, maxCharacters: Int = 99999
    ) -> WSManRequest {
        let body = "<Pull xmlns=\"\(WSManNamespace.enumeration)\">"
            + "<EnumerationContext>\(XMLEscaping.text(context))</EnumerationContext>"
            + "<MaxElements>\(maxElements)</MaxElements><MaxCharacters>\(maxCharacters)</MaxCharacters></Pull>"
        return WSManRequest(action: WSManAction.pull, resourceURI: resource.uri, messageID: messageID, bodyXML: body)
    }

    /// Invokes a class method: action `{uri}/{method}`, body `<h:{method}_INPUT xmlns:h="{uri}">{inputXML}</…>`.
    /// `inputXML` is inserted verbatim (use the `h:` prefix for parameters).
    public static func invoke(
        _ resource: WSManResource, method: String, inputXML: String = "",
        messageID: String, selectors: [WSManSelector] = []
    ) -> WSManRequest {
        let body = "<h:\(method)_INPUT xmlns:h=\"\(resource.uri)\">\(inputXML)</h:\(method)_INPUT>"
        return WSManRequest(action: resource.methodAction(method), resourceURI: resource.uri,
                            messageID: messageID, selectors: selectors, bodyXML: body)
    }

    /// Invokes a method with simple text parameters, written in order as `<h:Name>value</h:Name>`.
    public static func invoke(
        _ resource: WSManResource, method: String, parameters: [(name: String, value: String)],
        messageID: String, selectors: [WSManSelector] = []
    ) -> WSManRequest {
        let input = parameters.map { "<h:\($0.name)>\(XMLEscaping.text($0.value))</h:\($0.name)>" }.joined()
        return invoke(resource, method: method, inputXML: input, messageID: messageID, selectors: selectors)
    }
}
