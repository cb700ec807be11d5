/// A WS-Addressing endpoint reference to a class instance, as passed in method inputs
/// (`ManagedElement`, `BootConfigSetting`, `Source`) and returned in association replies.
public struct EndpointReference: Sendable, Hashable {
    /// The `Address` element's value. AMT-bound requests conventionally carry the addressing
    /// namespace URI here (AMT accepts it); replies carry the anonymous role.
    public var address: String
    /// The referenced class's resource URI.
    public var resourceURI: String
    /// Key properties of the referenced instance.
    public var selectors: [WSManSelector]

    /// Creates a reference.
    public init(address: String = WSManNamespace.addressing, resourceURI: String, selectors: [WSManSelector]) {
        self.address = address
        self.resourceURI = resourceURI
        self.selectors = selectors
    }

    /// The host system: `CIM_ComputerSystem` with `CreationClassName=CIM_ComputerSystem`,
    /// `Name=ManagedSystem` (the `ManagedElement` of RequestPowerStateChange).
    public static let managedSystem = EndpointReference(
        resourceURI: WSManResource.cimComputerSystem.uri,
        selectors: [
            WSManSelector(name: "CreationClassName", value: "CIM_ComputerSystem"),
            WSManSelector(name: "Name", value: "ManagedSystem"),
        ]
    )

    /// The `Address` + `ReferenceParameters` children, each declaring its own namespace
    /// (the shape AMT clients send inside method inputs).
    public var innerXML: String {
        "<Address xmlns=\"\(WSManNamespace.addressing)\">\(XMLEscaping.text(address))</Address>"
            + "<ReferenceParameters xmlns=\"\(WSManNamespace.addressing)\">"
            + "<ResourceURI xmlns=\"\(WSManNamespace.wsman)\">\(XMLEscaping.text(resourceURI))</ResourceURI>"
            + WSManSelector.selectorSetXML(selectors, prefix: nil, declareNamespace: true)
            + "</ReferenceParameters>"
    }

    /// Reads an endpoint reference from an element holding `Address` and `ReferenceParameters`.
    public init?(element: XMLElementNode) {
        guard let params = element.child("ReferenceParameters"),
              let uri = params.child("ResourceURI")?.trimmedText
        else { return nil }
        self.address = element.child("Address")?.trimmedText ?? ""
        self.resourceURI = uri
        self.selectors = params.child("SelectorSet").map(WSManSelector.parse(selectorSet:)) ?? []
    }
}
