import WSMan

/// An instance as the firmware renders it: ordered properties whose values are text, repeated
/// text, or pre-rendered XML (endpoint references with the envelope's `b:`/`c:` prefixes,
/// datetimes in the `common` namespace), like AMT writes them.
struct FirmwareInstance: Sendable, Equatable {
    enum Value: Sendable, Equatable {
        case text(String)
        case list([String])
        /// Inner XML, inserted verbatim (must only use prefixes declared by the envelope or inline).
        case raw(String)
    }

    var className: String
    var namespaceURI: String
    var properties: [(name: String, value: Value)]

    init(_ schema: WSManResource.Schema, _ className: String, _ properties: [(String, Value)]) {
        self.className = className
        self.namespaceURI = schema.baseURI + className
        self.properties = properties.map { (name: $0.0, value: $0.1) }
    }

    /// Converts a plain ``WSManInstance`` (text and list values; objects are flattened to text).
    init(_ schema: WSManResource.Schema, _ instance: WSManInstance) {
        self.init(schema, instance.className, instance.properties.map { property in
            switch property.value {
            case .list(let items): return (property.name, .list(items.compactMap(\.string)))
            default: return (property.name, .text(property.value.string ?? ""))
            }
        })
    }

    static func == (lhs: FirmwareInstance, rhs: FirmwareInstance) -> Bool {
        lhs.className == rhs.className && lhs.namespaceURI == rhs.namespaceURI
            && lhs.properties.map(\.name) == rhs.properties.map(\.name)
            && lhs.properties.map(\.value) == rhs.properties.map(\.value)
    }

    /// The text of a property (first item of a list), if it is not raw XML.
    func text(_ name: String) -> String? {
        switch properties.first(where: { $0.name == name })?.value {
        case .text(let s): return s
        case .list(let items): return items.first
        default: return nil
        }
    }

    /// `<p:Class[ xmlns:p="ns"]>…</p:Class>`.
    func xml(prefix: String, declareNamespace: Bool) -> String {
        let decl = declareNamespace ? " xmlns:\(prefix)=\"\(XMLEscaping.attribute(namespaceURI))\"" : ""
        var out = "<\(prefix):\(className)\(decl)>"
        for property in properties {
            let tag = "\(prefix):\(property.name)"
            switch property.value {
            case .text(let s): out += "<\(tag)>\(XMLEscaping.text(s))</\(tag)>"
            case .list(let items): for s in items { out += "<\(tag)>\(XMLEscaping.text(s))</\(tag)>" }
            case .raw(let xml): out += "<\(tag)>\(xml)</\(tag)>"
            }
        }
        return out + "</\(prefix):\(className)>"
    }

    /// An endpoint reference body (`b:Address`, `b:ReferenceParameters` with `c:` selectors).
    static func endpointReference(
        _ className: String, schema: WSManResource.Schema = .cim, _ selectors: [(String, String)]
    ) -> Value {
        var out = "<b:Address>\(WSManNamespace.anonymousRole)</b:Address><b:ReferenceParameters>"
        out += "<c:ResourceURI>\(schema.baseURI)\(className)</c:ResourceURI><c:SelectorSet>"
        for (name, value) in selectors {
            out += "<c:Selector Name=\"\(XMLEscaping.attribute(name))\">\(XMLEscaping.text(value))</c:Selector>"
        }
        return .raw(out + "</c:SelectorSet></b:ReferenceParameters>")
    }

    /// A `CIM_DateTime` wrapper (`<i:Datetime xmlns:i="…/common">`).
    static func datetime(_ value: String) -> Value {
        .raw("<i:Datetime xmlns:i=\"http://schemas.dmtf.org/wbem/wscim/1/common\">\(XMLEscaping.text(value))</i:Datetime>")
    }
}
