/// One element of a parsed XML document: its name (prefix, local name, resolved namespace),
/// attributes, child elements and the character data directly inside it.
///
/// Values are immutable snapshots and `Sendable`; a tree is produced by ``XMLTreeParser``.
/// Lookups by name use the **local** name (namespace prefixes are ignored), which is how
/// WS-Management consumers usually address AMT replies (whose prefixes vary by firmware).
public struct XMLElementNode: Sendable, Equatable {
    /// The namespace prefix as written (`"g"` in `<g:PullResponse>`), or `nil` when unprefixed.
    public var prefix: String?
    /// The local name (`"PullResponse"`).
    public var localName: String
    /// The namespace URI the prefix (or default namespace) resolved to, if any was declared.
    public var namespaceURI: String?
    /// Attributes in document order, including `xmlns` declarations.
    public var attributes: [XMLAttribute]
    /// Child elements in document order.
    public var children: [XMLElementNode]
    /// All character data directly inside this element (not inside children), entities decoded.
    public var text: String

    /// Creates an element.
    public init(
        prefix: String? = nil, localName: String, namespaceURI: String? = nil,
        attributes: [XMLAttribute] = [], children: [XMLElementNode] = [], text: String = ""
    ) {
        self.prefix = prefix
        self.localName = localName
        self.namespaceURI = namespaceURI
        self.attributes = attributes
        self.children = children
        self.text = text
    }

    /// `prefix:localName`, or just the local name when unprefixed.
    public var qualifiedName: String {
        if let prefix { return "\(prefix):\(localName)" }
        return localName
    }

    /// `text` with leading and trailing XML whitespace removed.
    public var trimmedText: String { text.trimmingXMLWhitespace() }

    /// The first child element with the given local name.
    public func child(_ localName: String) -> XMLElementNode? {
        children.first { $0.localName == localName }
    }

    /// All child elements with the given local name, in document order.
    public func children(named localName: String) -> [XMLElementNode] {
        children.filter { $0.localName == localName }
    }

    /// Follows a path of local names from this element (`path("Code", "Value")`).
    public func path(_ localNames: String...) -> XMLElementNode? {
        path(localNames)
    }

    /// Follows a path of local names from this element; an empty path returns `self`.
    public func path(_ localNames: [String]) -> XMLElementNode? {
        var current = self
        for name in localNames {
            guard let next = current.child(name) else { return nil }
            current = next
        }
        return current
    }

    /// The first element (depth-first, document order, excluding `self`) with the local name.
    public func firstDescendant(named localName: String) -> XMLElementNode? {
        for child in children {
            if child.localName == localName { return child }
            if let found = child.firstDescendant(named: localName) { return found }
        }
        return nil
    }

    /// The value of the first attribute with this local name (prefix ignored).
    public func attribute(_ localName: String) -> String? {
        attributes.first { $0.localName == localName && $0.prefix != "xmlns" }?.value
    }
}

/// One attribute of an ``XMLElementNode``.
public struct XMLAttribute: Sendable, Equatable {
    /// The prefix as written (`"xmlns"` for namespace declarations), or `nil`.
    public var prefix: String?
    /// The local name.
    public var localName: String
    /// The decoded value.
    public var value: String

    /// Creates an attribute.
    public init(prefix: String? = nil, localName: String, value: String) {
        self.prefix = prefix
        self.localName = localName
        self.value = value
    }
}

extension String {
    /// The string without leading/trailing XML whitespace (space, tab, CR, LF).
    ///
    /// Trimmed on the UTF-8 bytes when the first and last kept bytes are ASCII (then byte and
    /// Character boundaries agree); otherwise by Characters, so that a whitespace byte merged
    /// into a grapheme cluster with its neighbour (a combining mark after a space) is kept.
    func trimmingXMLWhitespace() -> String {
        let utf8 = self.utf8
        func isWS(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }
        guard let first = utf8.firstIndex(where: { !isWS($0) }) else { return "" }
        let last = utf8.lastIndex(where: { !isWS($0) })!
        if first == utf8.startIndex && last == utf8.index(before: utf8.endIndex) { return self }
        if utf8[first] < 0x80, utf8[last] < 0x80 {
            return String(Substring(utf8[first...last]))
        }
        return trimmingXMLWhitespaceByCharacter()
    }

    private func trimmingXMLWhitespaceByCharacter() -> String {
        let isWS: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }
        guard let start = firstIndex(where: { !isWS($0) }) else { return "" }
        let end = lastIndex(where: { !isWS($0) })!
        return String(self[start...end])
    }
}
