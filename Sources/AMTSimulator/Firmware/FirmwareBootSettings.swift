import WSMan

/// The writable part of `AMT_BootSettingData` (the ASF boot options for the next boot) plus
/// the read-only status fields AMT reports with it.
public struct FirmwareBootSettings: Sendable, Equatable {
    public var biosPause = false
    /// Enter BIOS setup on the next boot.
    public var biosSetup = false
    public var bootMediaIndex = 0
    public var configurationDataReset = false
    public var enforceSecureBoot = false
    /// 0 system default, 1 quiet, 2 verbose, 3 screen blank.
    public var firmwareVerbosity = 0
    public var forcedProgressEvents = false
    /// 0 floppy, 1 CD.
    public var iderBootDevice = 0
    public var lockKeyboard = false
    public var lockPowerButton = false
    public var lockResetButton = false
    public var lockSleepButton = false
    public var platformErase = false
    public var reflashBIOS = false
    public var rsePassword = ""
    public var secureErase = false
    public var uefiBootNumberOfParams = 0
    public var useIDER = false
    public var useSOL = false
    public var useSafeMode = false
    public var userPasswordBypass = false
    /// Read-only: the last BIOS status words.
    public var biosLastStatus = [2, 0]

    /// Creates cleared settings.
    public init() {}

    /// Whether any one-time boot option is set (AMT reports `OptionsCleared=false` then).
    public var hasBootOptions: Bool {
        self != FirmwareBootSettings(biosLastStatus: biosLastStatus)
    }

    private init(biosLastStatus: [Int]) { self.biosLastStatus = biosLastStatus }

    /// Properties that a Put may change (anything else in a Put body is ignored, as AMT
    /// ignores read-only properties).
    public static let writableProperties: Set<String> = [
        "BIOSPause", "BIOSSetup", "BootMediaIndex", "ConfigurationDataReset", "EnforceSecureBoot",
        "FirmwareVerbosity", "ForcedProgressEvents", "IDERBootDevice", "LockKeyboard", "LockPowerButton",
        "LockResetButton", "LockSleepButton", "PlatformErase", "ReflashBIOS", "RSEPassword", "SecureErase",
        "UefiBootNumberOfParams", "UEFIBootNumberOfParams", "UseIDER", "UseSOL", "UseSafeMode", "UserPasswordBypass",
    ]

    /// The `AMT_BootSettingData` instance in AMT's property order; `uefi` adds the UEFI-era fields.
    public func instance(uefi: Bool) -> WSManInstance {
        var props: [(String, WSManValue)] = [
            ("BIOSLastStatus", .list(biosLastStatus.map { .int($0) })),
            ("BIOSPause", .bool(biosPause)), ("BIOSSetup", .bool(biosSetup)), ("BootMediaIndex", .int(bootMediaIndex)),
        ]
        if uefi { props.append(("BootguardStatus", .int(127))) }
        props += [
            ("ConfigurationDataReset", .bool(configurationDataReset)),
            ("ElementName", "Intel(r) AMT Boot Configuration Settings"),
            ("EnforceSecureBoot", .bool(enforceSecureBoot)), ("FirmwareVerbosity", .int(firmwareVerbosity)),
            ("ForcedProgressEvents", .bool(forcedProgressEvents)), ("IDERBootDevice", .int(iderBootDevice)),
            ("InstanceID", "Intel(r) AMT:BootSettingData 0"),
            ("LockKeyboard", .bool(lockKeyboard)), ("LockPowerButton", .bool(lockPowerButton)),
            ("LockResetButton", .bool(lockResetButton)), ("LockSleepButton", .bool(lockSleepButton)),
            ("OptionsCleared", .bool(!hasBootOptions)), ("OwningEntity", "Intel(r) AMT"),
        ]
        if uefi {
            props += [("PlatformErase", .bool(platformErase)), ("RPEEnabled", .bool(true)), ("RSEPassword", .text(rsePassword))]
        }
        props.append(("ReflashBIOS", .bool(reflashBIOS)))
        if uefi { props.append(("SecureBootControlEnabled", .bool(true))) }
        props.append(("SecureErase", .bool(secureErase)))
        if uefi {
            props += [("UEFIHTTPSBootEnabled", .bool(true)), ("UEFILocalPBABootEnabled", .bool(true)),
                      ("UefiBootNumberOfParams", .int(uefiBootNumberOfParams))]
        }
        props += [
            ("UseIDER", .bool(useIDER)), ("UseSOL", .bool(useSOL)), ("UseSafeMode", .bool(useSafeMode)),
            ("UserPasswordBypass", .bool(userPasswordBypass)),
        ]
        if uefi { props.append(("WinREBootEnabled", .bool(true))) }
        return WSManInstance(className: "AMT_BootSettingData",
                             properties: props.map { WSManInstance.Property(name: $0.0, value: $0.1) })
    }

    /// Applies the writable properties of a Put body. Returns the name of the first property
    /// whose value has the wrong type (nothing is changed then).
    public mutating func apply(_ instance: WSManInstance) -> String? {
        var next = self
        for property in instance.properties where Self.writableProperties.contains(property.name) {
            let text = property.value.string ?? ""
            if !next.set(property.name, text) { return property.name }
        }
        self = next
        return nil
    }

    private mutating func set(_ name: String, _ text: String) -> Bool {
        func bool(_ target: inout Bool) -> Bool {
            switch text.lowercased() {
            case "true", "1": target = true
            case "false", "0": target = false
            default: return false
            }
            return true
        }
        func int(_ target: inout Int) -> Bool {
            guard let value = Int(text), value >= 0 else { return false }
            target = value
            return true
        }
        switch name {
        case "BIOSPause": return bool(&biosPause)
        case "BIOSSetup": return bool(&biosSetup)
        case "BootMediaIndex": return int(&bootMediaIndex)
        case "ConfigurationDataReset": return bool(&configurationDataReset)
        case "EnforceSecureBoot": return bool(&enforceSecureBoot)
        case "FirmwareVerbosity": return int(&firmwareVerbosity) && firmwareVerbosity <= 3
        case "ForcedProgressEvents": return bool(&forcedProgressEvents)
        case "IDERBootDevice": return int(&iderBootDevice) && iderBootDevice <= 1
        case "LockKeyboard": return bool(&lockKeyboard)
        case "LockPowerButton": return bool(&lockPowerButton)
        case "LockResetButton": return bool(&lockResetButton)
        case "LockSleepButton": return bool(&lockSleepButton)
        case "PlatformErase": return bool(&platformErase)
        case "ReflashBIOS": return bool(&reflashBIOS)
        case "RSEPassword": rsePassword = text; return true
        case "SecureErase": return bool(&secureErase)
        case "UefiBootNumberOfParams", "UEFIBootNumberOfParams": return int(&uefiBootNumberOfParams)
        case "UseIDER": return bool(&useIDER)
        case "UseSOL": return bool(&useSOL)
        case "UseSafeMode": return bool(&useSafeMode)
        case "UserPasswordBypass": return bool(&userPasswordBypass)
        default: return true
        }
    }

    /// The settings after a boot consumed the one-time options (status words kept).
    public var cleared: FirmwareBootSettings {
        FirmwareBootSettings(biosLastStatus: biosLastStatus)
    }
}
