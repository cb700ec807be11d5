/// A snapshot of a simulated device's platform state as the firmware sees it.
public struct FirmwareState: Sendable, Equatable {
    /// Where the last firmware-initiated boot went.
    public enum BootTarget: Sendable, Equatable {
        /// The normal boot order (the OS starts).
        case normal
        /// BIOS setup (`BIOSSetup` was set).
        case biosSetup
        /// IDE-R (`UseIDER`; 0 floppy, 1 CD).
        case ider(device: Int)
        /// A forced boot source (`ChangeBootOrder`), by `CIM_BootSourceSetting` InstanceID.
        case forcedSource(String)
    }

    /// DMTF power state (`CIM_AssociatedPowerManagementService.PowerState`): 2 on, 4 sleep,
    /// 7 hibernate, 8 off.
    public var powerState: Int
    /// Whether an OS with its in-band agent is up (needed for sleep, hibernate, soft off/reset).
    public var osRunning: Bool
    /// The boot options for the next boot (`AMT_BootSettingData`).
    public var bootSettings: FirmwareBootSettings
    /// Role set by `CIM_BootService.SetBootConfigRole` (0 IsNext, 1 IsNextSingleUse, 2 IsDefault);
    /// `nil` when none is pending.
    public var bootConfigRole: Int?
    /// The boot source forced by `ChangeBootOrder` (`CIM_BootSourceSetting` InstanceID), if any.
    public var bootOrderSource: String?
    /// Where the last boot went (`nil` before the first firmware-initiated boot).
    public var lastBoot: BootTarget?
    /// Firmware-initiated boots so far (power on from off, cycle, reset).
    public var bootCount: Int
    /// The firmware profile.
    public var profile: FirmwareProfile
    /// Redirection, user consent, alarms, logs and provisioning (see ``FirmwareMaintenanceState``).
    public var maintenance = FirmwareMaintenanceState()
    /// Wired and wireless port settings, the Wi-Fi port.
    public var network = FirmwareNetworkState()

    /// Creates a state: powered on, OS running, no boot options.
    public init(profile: FirmwareProfile, powerState: Int = 2, osRunning: Bool = true) {
        self.profile = profile
        self.powerState = powerState
        self.osRunning = osRunning && powerState == 2
        self.bootSettings = FirmwareBootSettings()
        self.bootConfigRole = nil
        self.bootOrderSource = nil
        self.lastBoot = nil
        self.bootCount = 0
    }

    /// Whether the next boot goes into BIOS setup (derived from the boot settings).
    public var nextBootToBIOS: Bool { bootSettings.biosSetup }

    /// Where the next firmware-initiated boot would go.
    public var nextBootTarget: BootTarget {
        if bootSettings.biosSetup { return .biosSetup }
        if bootSettings.useIDER { return .ider(device: bootSettings.iderBootDevice) }
        if let bootOrderSource { return .forcedSource(bootOrderSource) }
        return .normal
    }

    /// `AvailableRequestedPowerStates` right now: what `RequestPowerStateChange` accepts.
    public var availablePowerStates: [Int] {
        switch powerState {
        case 2:
            var states = [10, 8, 5, 11]
            if profile.majorVersion > 9 && osRunning { states += [4, 7, 14, 12] }
            return states
        case 3, 4, 7:
            return [8, 2, 5]
        default:
            return [2]
        }
    }
}
