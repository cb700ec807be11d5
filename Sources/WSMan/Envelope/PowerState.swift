/// DMTF power states (`CIM_AssociatedPowerManagementService.PowerState` and the
/// `PowerState` argument of `RequestPowerStateChange`).
public enum PowerState: Int, Sendable, CaseIterable, CustomStringConvertible {
    case other = 1
    case on = 2
    case sleepLight = 3
    case sleepDeep = 4
    case powerCycleOffSoft = 5
    case offHard = 6
    case hibernate = 7
    case offSoft = 8
    case powerCycleOffHard = 9
    case masterBusReset = 10
    case diagnosticInterruptNMI = 11
    case offSoftGraceful = 12
    case offHardGraceful = 13
    case masterBusResetGraceful = 14
    case powerCycleOffSoftGraceful = 15
    case powerCycleOffHardGraceful = 16
    case diagnosticInterruptINIT = 17

    /// The DMTF label (`"Off-Soft"`, `"Master Bus Reset"`, …).
    public var description: String {
        switch self {
        case .other: return "Other"
        case .on: return "On"
        case .sleepLight: return "Sleep-Light"
        case .sleepDeep: return "Sleep-Deep"
        case .powerCycleOffSoft: return "Power Cycle (Off-Soft)"
        case .offHard: return "Off-Hard"
        case .hibernate: return "Hibernate (Off-Soft)"
        case .offSoft: return "Off-Soft"
        case .powerCycleOffHard: return "Power Cycle (Off-Hard)"
        case .masterBusReset: return "Master Bus Reset"
        case .diagnosticInterruptNMI: return "Diagnostic Interrupt (NMI)"
        case .offSoftGraceful: return "Off-Soft Graceful"
        case .offHardGraceful: return "Off-Hard Graceful"
        case .masterBusResetGraceful: return "Master Bus Reset Graceful"
        case .powerCycleOffSoftGraceful: return "Power Cycle (Off-Soft Graceful)"
        case .powerCycleOffHardGraceful: return "Power Cycle (Off-Hard Graceful)"
        case .diagnosticInterruptINIT: return "Diagnostic Interrupt (INIT)"
        }
    }
}
