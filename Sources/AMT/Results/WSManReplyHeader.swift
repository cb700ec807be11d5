import WSMan

/// The WS-Addressing header of the device's reply that carried a result (AMT's own values, so a
/// front end that shows the reply's header, as Open AMT's MPS does, can).
/// JSON: `{"to"?, "relatesTo"?, "action"?, "messageID"?, "resourceURI"?}` (all strings).
public struct WSManReplyHeader: AMTResult, Equatable {
    public var to: String?
    /// The `MessageID` of the request this replies to.
    public var relatesTo: String?
    public var action: String?
    public var messageID: String?
    public var resourceURI: String?

    public init(_ header: WSManHeader) {
        to = header.to
        relatesTo = header.relatesTo
        action = header.action
        messageID = header.messageID
        resourceURI = header.resourceURI
    }
}
