/// The addressing/management fields of a SOAP header, read by local name.
public struct WSManHeader: Sendable, Equatable {
    /// `Action`.
    public var action: String?
    /// `To`.
    public var to: String?
    /// `MessageID` (`uuid:00000000-8086-…` from AMT; a decimal counter from AMT clients).
    public var messageID: String?
    /// `RelatesTo`: the MessageID of the request this replies to.
    public var relatesTo: String?
    /// `ResourceURI`.
    public var resourceURI: String?
    /// `OperationTimeout`.
    public var operationTimeout: String?
    /// Header `SelectorSet`.
    public var selectors: [WSManSelector]

    /// Creates a header.
    public init(
        action: String? = nil, to: String? = nil, messageID: String? = nil, relatesTo: String? = nil,
        resourceURI: String? = nil, operationTimeout: String? = nil, selectors: [WSManSelector] = []
    ) {
        self.action = action
        self.to = to
        self.messageID = messageID
        self.relatesTo = relatesTo
        self.resourceURI = resourceURI
        self.operationTimeout = operationTimeout
        self.selectors = selectors
    }

    /// Reads a `Header` element (values whitespace-trimmed).
    public init(element: XMLElementNode) {
        self.action = element.child("Action")?.trimmedText
        self.to = element.child("To")?.trimmedText
        self.messageID = element.child("MessageID")?.trimmedText
        self.relatesTo = element.child("RelatesTo")?.trimmedText
        self.resourceURI = element.child("ResourceURI")?.trimmedText
        self.operationTimeout = element.child("OperationTimeout")?.trimmedText
        self.selectors = element.child("SelectorSet").map(WSManSelector.parse(selectorSet:)) ?? []
    }
}
