import WSMan

/// The outcome of one WS-Man method the device ran (`RequestPowerStateChange`,
/// `SetBootConfigRole`, `ChangeBootOrder`, `StartOptIn`, `Unprovision`, …), whatever the value.
/// JSON: `{"returnValue": 0, "returnValueName": "SUCCESS", "replyHeader"?: {…}}`; the name is
/// AMT's PT_STATUS name (`NOT_READY`, `INVALID_PARAMETER`, …, `UNKNOWN_ERROR` for codes it lacks).
public struct AMTMethodResult: AMTResult, Equatable {
    public var returnValue: Int
    public var returnValueName: String
    /// The header of the reply (nil where the caller did not keep it).
    public var replyHeader: WSManReplyHeader?

    public init(_ value: ReturnValue, replyHeader: WSManHeader? = nil) {
        returnValue = value.code
        returnValueName = value.name
        self.replyHeader = replyHeader.map(WSManReplyHeader.init)
    }

    /// `true` when the device answered 0.
    public var isSuccess: Bool { returnValue == 0 }
}
