import APF

/// Firmware misbehaviour to inject (all off by default). Independent of the APF-level
/// ``DeviceFaults``: these act inside the firmware.
public struct FirmwareFaults: Sendable, Equatable {
    /// Answer every WS-Man request this late (slow firmware).
    public var responseDelay: Duration?
    /// Accept requests but never answer them (hung firmware); the channel stays open.
    public var neverAnswer = false
    /// Refuse channel opens with this reason (`.connectFailed` = 2 or `.resourceShortage` = 4).
    public var refuseChannelOpens: APFChannelOpenFailureReason?
    /// Refuse only the first N channel opens, then accept; `nil` = refuse all while set.
    public var refuseFirstChannelOpens: Int?

    /// Answer an optimized Enumerate (DSP0226) with a plain context, as firmware without the
    /// optimization does.
    public var ignoreOptimizedEnumeration = false
    /// Answer an optimized Enumerate with a `wsman:UnsupportedFeature` fault (a strict service
    /// without the optimization); a plain Enumerate still works.
    public var refuseOptimizedEnumeration = false

    /// Operations (`Put`, `RequestPowerStateChange`, … as ``FirmwareCall/method`` names them)
    /// answered with a `wsman:AccessDenied` fault instead of being carried out.
    public var refuseOperations: Set<String> = []

    /// No faults.
    public init() {}
}
