import Foundation

/// One WS-Man operation the firmware handled (the observable call log).
public struct FirmwareCall: Sendable, Equatable {
    /// When it was handled.
    public var time: Date
    /// The request's `wsa:Action` URI.
    public var action: String
    /// The operation: `Get`, `Put`, `Enumerate`, `Pull`, or a method name
    /// (`RequestPowerStateChange`, `SetBootConfigRole`, `ChangeBootOrder`, …).
    public var method: String
    /// The class from the ResourceURI (`AMT_BootSettingData`), or the full URI if it is not a
    /// known schema.
    public var resourceClass: String
    /// The request MessageID.
    public var messageID: String?
    /// Selected input values: method parameters (`PowerState`, `Role`, `Source`, …), Put
    /// properties (lists joined with `,`), `EnumerationContext` for Pull.
    public var inputs: [String: String]
    /// The method's ReturnValue, for method calls.
    public var returnValue: Int?
    /// The fault subcode (`b:ActionNotSupported`, …) when the call was answered with a fault.
    public var fault: String?

    /// Creates a record.
    public init(time: Date, action: String, method: String, resourceClass: String, messageID: String? = nil,
                inputs: [String: String] = [:], returnValue: Int? = nil, fault: String? = nil) {
        self.time = time
        self.action = action
        self.method = method
        self.resourceClass = resourceClass
        self.messageID = messageID
        self.inputs = inputs
        self.returnValue = returnValue
        self.fault = fault
    }
}
