/// `amt.power.state`: the DMTF power state of the device (2 on, 8 off, 4 sleep, 7 hibernate, …).
/// JSON: `{"powerState": 2}`.
public struct AMTPowerState: AMTResult, Equatable {
    public var powerState: Int

    public init(powerState: Int) { self.powerState = powerState }
}

/// `amt.power.capabilities`: the Open AMT action codes this device can carry out, ascending,
/// decided from its AMT major version and `AMT_BootCapabilities`.
/// JSON: `{"actionCodes": [2, 4, 5, …]}`.
public struct AMTPowerCapabilities: AMTResult, Equatable {
    public var actionCodes: [Int]

    public init(actionCodes: [Int]) { self.actionCodes = actionCodes.sorted() }
}
