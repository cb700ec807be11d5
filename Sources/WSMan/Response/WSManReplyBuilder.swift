/// Builds reply envelopes in the shape Intel AMT firmware sends (prefixes `a:` SOAP,
/// `b:` addressing, `c:` wsman, `g:` the body namespace; `Action` with `mustUnderstand`).
/// Used by the device simulator; pure string building.
public enum WSManReplyBuilder {
    /// A reply envelope.
    /// - Parameters:
    ///   - action: the reply action (usually ``WSManAction/response(for:)`` of the request's).
    ///   - relatesTo: the request's MessageID.
    ///   - messageID: this reply's MessageID (AMT uses `uuid:00000000-8086-8086-8086-XXXXXXXXXXXX`).
    ///   - resourceURI: echoed resource URI, if any.
    ///   - bodyNamespace: bound to prefix `g` on the envelope (class URI or enumeration ns).
    ///   - bodyXML: the inner XML of `<a:Body>`, using prefix `g` for the body namespace.
    public static func envelope(
        action: String, relatesTo: String?, messageID: String, resourceURI: String?,
        bodyNamespace: String? = nil, bodyXML: String
    ) -> String {
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
        out += "<a:Envelope xmlns:a=\"\(WSManNamespace.soapEnvelope)\" xmlns:b=\"\(WSManNamespace.addressing)\""
        out += " xmlns:c=\"\(WSManNamespace.wsman)\""
        if let bodyNamespace { out += " xmlns:g=\"\(XMLEscaping.attribute(bodyNamespace))\"" }
        out += " xmlns:xsi=\"\(WSManNamespace.xsi)\">"
        out += "<a:Header>"
        out += "<b:To>\(WSManNamespace.anonymousRole)</b:To>"
        if let relatesTo { out += "<b:RelatesTo>\(XMLEscaping.text(relatesTo))</b:RelatesTo>" }
        out += "<b:Action a:mustUnderstand=\"true\">\(XMLEscaping.text(action))</b:Action>"
        out += "<b:MessageID>\(XMLEscaping.text(messageID))</b:MessageID>"
        if let resourceURI { out += "<c:ResourceURI>\(XMLEscaping.text(resourceURI))</c:ResourceURI>" }
        out += "</a:Header><a:Body>\(bodyXML)</a:Body></a:Envelope>"
        return out
    }

    /// A Get/Put reply carrying one instance (`<g:Class>…</g:Class>`).
    public static func instance(
        _ instance: WSManInstance, resource: WSManResource, requestAction: String,
        relatesTo: String?, messageID: String
    ) -> String {
        var named = instance
        named.className = resource.className
        return envelope(
            action: WSManAction.response(for: requestAction), relatesTo: relatesTo, messageID: messageID,
            resourceURI: resource.uri, bodyNamespace: resource.uri,
            bodyXML: named.xml(prefix: "g", namespaceURI: resource.uri))
    }

    /// An EnumerateResponse with a context.
    public static func enumerateResponse(
        context: String, resourceURI: String, relatesTo: String?, messageID: String
    ) -> String {
        enumerateResponse(context: context, itemsXML: nil, resourceURI: resourceURI, relatesTo: relatesTo, messageID: messageID)
    }

    /// An EnumerateResponse: the context and, for an optimized enumeration (DSP0226 §8.2.3),
    /// the first items (each element's XML, declaring its own namespace) in wsman `Items`, and
    /// the wsman `EndOfSequence` when they are all.
    public static func enumerateResponse(
        context: String, itemsXML: [String]?, endOfSequence: Bool = false, resourceURI: String, relatesTo: String?,
        messageID: String
    ) -> String {
        var body = "<g:EnumerateResponse><g:EnumerationContext>\(XMLEscaping.text(context))</g:EnumerationContext>"
        if let itemsXML {
            body += "<c:Items>" + itemsXML.joined() + "</c:Items>"
            if endOfSequence { body += "<c:EndOfSequence></c:EndOfSequence>" }
        }
        body += "</g:EnumerateResponse>"
        return envelope(
            action: WSManAction.response(for: WSManAction.enumerate), relatesTo: relatesTo, messageID: messageID,
            resourceURI: resourceURI, bodyNamespace: WSManNamespace.enumeration, bodyXML: body)
    }

    /// A PullResponse with items (each declaring its own class namespace) and EndOfSequence.
    public static func pullResponse(
        items: [WSManInstance], resource: WSManResource, relatesTo: String?, messageID: String,
        endOfSequence: Bool = true, nextContext: String? = nil
    ) -> String {
        pullResponse(
            itemsXML: items.map { $0.xml(prefix: "h", namespaceURI: $0.namespaceURI ?? (WSManResource.Schema.cim.baseURI + $0.className)) },
            resourceURI: resource.uri, relatesTo: relatesTo, messageID: messageID, endOfSequence: endOfSequence,
            nextContext: nextContext)
    }

    /// A PullResponse with items (each element's XML, declaring its own namespace), the context
    /// of the rest when there is more, and EndOfSequence.
    public static func pullResponse(
        itemsXML: [String], resourceURI: String, relatesTo: String?, messageID: String,
        endOfSequence: Bool = true, nextContext: String? = nil
    ) -> String {
        var body = "<g:PullResponse>"
        if let nextContext { body += "<g:EnumerationContext>\(XMLEscaping.text(nextContext))</g:EnumerationContext>" }
        body += "<g:Items>" + itemsXML.joined() + "</g:Items>"
        if endOfSequence { body += "<g:EndOfSequence></g:EndOfSequence>" }
        body += "</g:PullResponse>"
        return envelope(
            action: WSManAction.response(for: WSManAction.pull), relatesTo: relatesTo, messageID: messageID,
            resourceURI: resourceURI, bodyNamespace: WSManNamespace.enumeration, bodyXML: body)
    }

    /// A method reply: `<g:{method}_OUTPUT><g:ReturnValue>n</g:ReturnValue></g:{method}_OUTPUT>`.
    public static func methodOutput(
        method: String, resource: WSManResource, returnValue: ReturnValue,
        relatesTo: String?, messageID: String, extraOutputXML: String = ""
    ) -> String {
        envelope(
            action: resource.methodAction(method) + "Response", relatesTo: relatesTo, messageID: messageID,
            resourceURI: resource.uri, bodyNamespace: resource.uri,
            bodyXML: "<g:\(method)_OUTPUT>\(extraOutputXML)<g:ReturnValue>\(returnValue.code)</g:ReturnValue></g:\(method)_OUTPUT>")
    }

    /// A SOAP fault reply (code `a:Sender`/`a:Receiver` style qualified names).
    public static func fault(
        _ fault: WSManFault, relatesTo: String?, messageID: String
    ) -> String {
        var body = "<a:Fault><a:Code><a:Value>\(XMLEscaping.text(fault.code))</a:Value>"
        if let subcode = fault.subcode {
            body += "<a:Subcode><a:Value>\(XMLEscaping.text(subcode))</a:Value></a:Subcode>"
        }
        body += "</a:Code><a:Reason><a:Text xml:lang=\"en-US\">\(XMLEscaping.text(fault.reason))</a:Text></a:Reason>"
        if let detail = fault.detail {
            body += "<a:Detail><c:FaultDetail>\(XMLEscaping.text(detail))</c:FaultDetail></a:Detail>"
        }
        body += "</a:Fault>"
        return envelope(
            action: fault.action ?? WSManAction.wsmanFault, relatesTo: relatesTo, messageID: messageID,
            resourceURI: nil, bodyXML: body)
    }
}
