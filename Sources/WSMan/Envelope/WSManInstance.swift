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
        // Repeated names become lists. A few properties (most instances, and every nested
        // reference) are found by a scan; a dictionary pays off only for long instances.
        let indexed = element.children.count > Self.scannedProperties
        var index: [String: Int] = [:]
        if indexed { index.reserveCapacity(element.children.count) }
        for child in element.children {
            let value: WSManValue = child.children.isEmpty
                ? .text(child.trimmedText) : .object(WSManInstance(element: child))
            let existing = indexed ? index[child.localName] : props.firstIndex { $0.name == child.localName }
            if let at = existing {
                if case .list(var items) = props[at].value {
                    // Released from the property first, so the append does not copy the list.
                    props[at].value = .list([])
                    items.append(value)
                    props[at].value = .list(items)
                } else {
                    props[at].value = .list([props[at].value, value])
                }
            } else {
                if indexed { index[child.localName] = props.count }
                props.append(Property(name: child.localName, value: value))
            }
        }
        self.properties = props
    }

    /// Up to this many children, repeated names are found by scanning the properties.
    static let scannedProperties = 12

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
        var out: [UInt8] = []
        out.reserveCapacity(256)
        Self.appendTagStart(prefix: prefix, name: className, closing: false, to: &out)
        if let ns = namespaceURI ?? self.namespaceURI {
            out.append(contentsOf: " xmlns:".utf8)
            out.append(contentsOf: prefix.utf8)
            out.append(contentsOf: "=\"".utf8)
            out.append(contentsOf: XMLEscaping.attribute(ns).utf8)
            out.append(UInt8(ascii: "\""))
        }
        out.append(UInt8(ascii: ">"))
        appendProperties(prefix: prefix, to: &out)
        Self.appendTagStart(prefix: prefix, name: className, closing: true, to: &out)
        out.append(UInt8(ascii: ">"))
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends `<p:Prop>v</p:Prop>…` for every property, into one byte buffer.
    func appendProperties(prefix: String, to out: inout [UInt8]) {
        for property in properties {
            Self.append(property.value, name: property.name, prefix: prefix, to: &out)
        }
    }

    private static func append(_ value: WSManValue, name: String, prefix: String, to out: inout [UInt8]) {
        func tag(_ open: Bool) {
            appendTagStart(prefix: prefix, name: name, closing: !open, to: &out)
            out.append(UInt8(ascii: ">"))
        }
        switch value {
        case .text(let text):
            tag(true)
            XMLEscaping.appendText(text, to: &out)
            tag(false)
        case .object(let object):
            tag(true)
            object.appendProperties(prefix: prefix, to: &out)
            tag(false)
        case .list(let items):
            for item in items { append(item, name: name, prefix: prefix, to: &out) }
        }
    }

    /// `<p:Name` or `</p:Name` (without the `>`).
    private static func appendTagStart(prefix: String, name: String, closing: Bool, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "<"))
        if closing { out.append(UInt8(ascii: "/")) }
        out.append(contentsOf: prefix.utf8)
        out.append(UInt8(ascii: ":"))
        out.append(contentsOf: name.utf8)
    }
}
