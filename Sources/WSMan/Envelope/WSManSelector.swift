/// One `<w:Selector Name="…">value</w:Selector>` of a SelectorSet.
public struct WSManSelector: Sendable, Hashable {
    /// The selector (key property) name.
    public var name: String
    /// The selector value.
    public var value: String

    /// Creates a selector.
    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }

    /// Renders a SelectorSet with the given element prefix (`w` in request headers).
    /// Returns the empty string for no selectors.
    static func selectorSetXML(_ selectors: [WSManSelector], prefix: String?, declareNamespace: Bool) -> String {
        guard !selectors.isEmpty || declareNamespace else { return "" }
        let p = prefix.map { "\($0):" } ?? ""
        let ns = declareNamespace ? " xmlns=\"\(WSManNamespace.wsman)\"" : ""
        var out = "<\(p)SelectorSet\(ns)>"
        for s in selectors {
            out += "<\(p)Selector Name=\"\(XMLEscaping.attribute(s.name))\">\(XMLEscaping.text(s.value))</\(p)Selector>"
        }
        out += "</\(p)SelectorSet>"
        return out
    }

    /// Reads the selectors of a `SelectorSet` element (any prefix).
    public static func parse(selectorSet: XMLElementNode) -> [WSManSelector] {
        selectorSet.children(named: "Selector").map {
            WSManSelector(name: $0.attribute("Name") ?? "", value: $0.trimmedText)
        }
    }
}
