/// A SOAP 1.2 fault returned by the device (`Body/Fault`).
public struct WSManFault: Error, Sendable, Equatable, CustomStringConvertible {
    /// `Code/Value` as written, e.g. `a:Sender`.
    public var code: String
    /// `Code/Subcode/Value` as written, e.g. `b:DestinationUnreachable`.
    public var subcode: String?
    /// `Reason/Text`.
    public var reason: String
    /// `Detail` text (e.g. the `FaultDetail` URI), if any.
    public var detail: String?
    /// The envelope's `Action` header (a fault action URI), if present.
    public var action: String?

    /// Creates a fault.
    public init(code: String, subcode: String? = nil, reason: String, detail: String? = nil, action: String? = nil) {
        self.code = code
        self.subcode = subcode
        self.reason = reason
        self.detail = detail
        self.action = action
    }

    /// Reads `Fault` (any prefix). Returns `nil` for an element that is not a fault.
    public init?(element: XMLElementNode, action: String? = nil) {
        guard element.localName == "Fault" else { return nil }
        let codeElement = element.child("Code")
        self.code = codeElement?.child("Value")?.trimmedText ?? ""
        self.subcode = codeElement?.path("Subcode", "Value")?.trimmedText
        let reasonElement = element.child("Reason")
        self.reason = reasonElement?.child("Text")?.trimmedText ?? reasonElement?.trimmedText ?? ""
        if let detailElement = element.child("Detail") {
            let text = Self.allText(detailElement)
            self.detail = text.isEmpty ? nil : text
        } else {
            self.detail = nil
        }
        self.action = action
    }

    private static func allText(_ element: XMLElementNode) -> String {
        var parts: [String] = []
        let own = element.trimmedText
        if !own.isEmpty { parts.append(own) }
        for child in element.children {
            let text = allText(child)
            if !text.isEmpty { parts.append(text) }
        }
        return parts.joined(separator: " ")
    }

    /// `code` without its namespace prefix (`Sender`, `Receiver`).
    public var codeName: String { Self.stripPrefix(code) }
    /// `subcode` without its namespace prefix (`DestinationUnreachable`, `AccessDenied`).
    public var subcodeName: String? { subcode.map(Self.stripPrefix) }

    private static func stripPrefix(_ qname: String) -> String {
        qname.split(separator: ":", maxSplits: 1).last.map(String.init) ?? qname
    }

    public var description: String {
        var out = "WS-Man fault \(codeName)"
        if let subcodeName { out += "/\(subcodeName)" }
        if !reason.isEmpty { out += ": \(reason)" }
        if let detail { out += " (\(detail))" }
        return out
    }
}
