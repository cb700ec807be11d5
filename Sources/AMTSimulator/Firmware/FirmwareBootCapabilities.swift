import WSMan

/// What `AMT_BootCapabilities` reports: the boot options the firmware supports.
public struct FirmwareBootCapabilities: Sendable, Equatable {
    public var biosPause = false
    public var biosReflash = true
    public var biosSecureBoot = true
    /// Boot into BIOS setup supported (enables the "… to BIOS" power actions).
    public var biosSetup = true
    public var configurationDataReset = false
    public var forceCDorDVDBoot = true
    public var forceDiagnosticBoot = false
    public var forceHardDriveBoot = true
    public var forceHardDriveSafeModeBoot = false
    public var forcePXEBoot = true
    public var forcedProgressEvents = true
    public var ider = true
    public var keyboardLock = true
    public var powerButtonLock = false
    public var resetButtonLock = false
    public var sol = true
    public var secureErase = false
    public var sleepButtonLock = false
    public var userPasswordBypass = true
    public var verbosityQuiet = false
    public var verbosityScreenBlank = false
    public var verbosityVerbose = false
    /// UEFI-era capabilities (AMT 15+): `AMTSecureBootControl`, `ForceUEFIHTTPSBoot`, …
    public var uefiBootOptions = false

    /// Creates the capabilities of a typical desktop (UEFI options off).
    public init() {}

    /// The `AMT_BootCapabilities` instance, properties in AMT's (alphabetical) order.
    public var instance: WSManInstance {
        var props: [(String, WSManValue)] = []
        if uefiBootOptions { props.append(("AMTSecureBootControl", .bool(true))) }
        props += [
            ("BIOSPause", .bool(biosPause)), ("BIOSReflash", .bool(biosReflash)),
            ("BIOSSecureBoot", .bool(biosSecureBoot)), ("BIOSSetup", .bool(biosSetup)),
            ("ConfigurationDataReset", .bool(configurationDataReset)),
            ("ElementName", "Intel(r) AMT: Boot Capabilities"),
            ("ForceCDorDVDBoot", .bool(forceCDorDVDBoot)), ("ForceDiagnosticBoot", .bool(forceDiagnosticBoot)),
            ("ForceHardDriveBoot", .bool(forceHardDriveBoot)),
            ("ForceHardDriveSafeModeBoot", .bool(forceHardDriveSafeModeBoot)),
            ("ForcePXEBoot", .bool(forcePXEBoot)),
        ]
        if uefiBootOptions {
            props += [("ForceUEFIHTTPSBoot", .bool(true)), ("ForceUEFIPBABoot", .bool(true)), ("ForceWinREBoot", .bool(true))]
        }
        props += [
            ("ForcedProgressEvents", .bool(forcedProgressEvents)), ("IDER", .bool(ider)),
            ("InstanceID", "Intel(r) AMT:BootCapabilities 0"), ("KeyboardLock", .bool(keyboardLock)),
            ("PowerButtonLock", .bool(powerButtonLock)), ("ResetButtonLock", .bool(resetButtonLock)),
            ("SOL", .bool(sol)), ("SecureErase", .bool(secureErase)), ("SleepButtonLock", .bool(sleepButtonLock)),
        ]
        if uefiBootOptions { props.append(("UEFIWiFiCoExistenceAndProfileShare", .bool(true))) }
        props += [
            ("UserPasswordBypass", .bool(userPasswordBypass)), ("VerbosityQuiet", .bool(verbosityQuiet)),
            ("VerbosityScreenBlank", .bool(verbosityScreenBlank)), ("VerbosityVerbose", .bool(verbosityVerbose)),
        ]
        return WSManInstance(className: "AMT_BootCapabilities",
                             properties: props.map { WSManInstance.Property(name: $0.0, value: $0.1) })
    }
}
