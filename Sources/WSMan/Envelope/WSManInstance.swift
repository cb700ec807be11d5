/// An instance of a class (or any structured element) as an ordered list of properties.
///
/// Order is kept so that an instance read with Get can be written back with Put in the same
/// order (what AMT firmware expects). Repeated elements are merged into one `.list` property
/// at the position of their first occurrence.
public struct WSManInstance: Sendable, Equatable {
    /// One named property.
    public struct Property: Sendable, Equatable {
        /// The property's local name.
        public var name: String
        /// Its value.
        public var value: WSManValue

        /// Creates a property.
        public init(name: String, value: WSManValue) {
            self.name = name
            self.value = value
        }
    }

    /// The element's local name (the class name for instances, e.g. `AMT_BootSettingData`).
    public var className: String
    /// The namespace URI of the element (the class resource URI for AMT replies), if declared.
    public var namespaceURI: String?
    /// Properties in document order.
    public var properties: [Property]

    /// Creates an instance.
    public init(className: String, namespaceURI: String? = nil, properties: [Property] = []) {
        self.className = className
        self.namespaceURI = namespaceURI
        self.properties = properties
    }

    /// Converts an element: children grouped by local name, leaves as trimmed text.
    public init(element: XMLElementNode) {
        self.className = element.localName
        self.namespaceURI = element.namespaceURI
        var props: [Property] = []
        props.reserveCapacity(element.children.count)
        var index: [String: Int] = [:]
        index.reserveCapacity(element.children.count)
        for child in element.children {
            let value: WSManValue = child.children.isEmpty
                ? .text(child.trimmedText) : .object(WSManInstance(element: child))
            if let at = index[child.localName] {
                if case .list(var items) = props[at].value {
                    // Released from the property first, so the append does not copy the list.
                    props[at].value = .list([])
                    items.append(value)
                    props[at].value = .list(items)
                } else {
                    props[at].value = .list([props[at].value, value])
                }
            } else {
                index[child.localName] = props.count
                props.append(Property(name: child.localName, value: value))
            }
        }
        self.properties = props
    }

    /// The property with this name.
    public subscript(name: String) -> WSManValue? {
        get { properties.first { $0.name == name }?.value }
        set {
            if let at = properties.firstIndex(where: { $0.name == name }) {
                if let newValue { properties[at].value = newValue } else { properties.remove(at: at) }
            } else if let newValue {
                properties.append(Property(name: name, value: newValue))
            }
        }
    }

    /// The properties as a dictionary (order lost).
    public var dictionary: [String: WSManValue] {
        Dictionary(properties.map { ($0.name, $0.value) }, uniquingKeysWith: { first, _ in first })
    }

    /// Text of a property. Shorthand for `self[name]?.string`.
    public func string(_ name: String) -> String? { self[name]?.string }
    /// Integer value of a property.
    public func int(_ name: String) -> Int? { self[name]?.int }
    /// Boolean value of a property.
    public func bool(_ name: String) -> Bool? { self[name]?.bool }
    /// All texts of a (possibly repeated) property; empty when absent.
    public func strings(_ name: String) -> [String] { self[name]?.strings ?? [] }

    /// Serialises as `<p:Class xmlns:p="namespace"><p:Prop>v</p:Prop>…</p:Class>`: lists become
    /// repeated elements, objects nest with the same prefix. This is the Put/Create body shape.
    public func xml(prefix: String = "h", namespaceURI: String? = nil) -> String {
        let ns = namespaceURI ?? self.namespaceURI
        let decl = ns.map { " xmlns:\(prefix)=\"\(XMLEscaping.attribute($0))\"" } ?? ""
        return "<\(prefix):\(className)\(decl)>" + propertiesXML(prefix: prefix) + "</\(prefix):\(className)>"
    }

    func propertiesXML(prefix: String) -> String {
        var out = ""
        for property in properties {
            Self.append(property.value, tag: "\(prefix):\(property.name)", prefix: prefix, to: &out)
        }
        return out
    }

    private static func append(_ value: WSManValue, tag: String, prefix: String, to out: inout String) {
        switch value {
        case .text(let s): out += "<\(tag)>\(XMLEscaping.text(s))</\(tag)>"
        case .object(let o): out += "<\(tag)>\(o.propertiesXML(prefix: prefix))</\(tag)>"
        case .list(let items): for item in items { append(item, tag: tag, prefix: prefix, to: &out) }
        }
    }
}
