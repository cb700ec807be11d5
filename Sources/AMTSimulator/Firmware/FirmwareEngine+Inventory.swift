import WSMan

/// The instances behind each supported class (what Get, Enumerate/Pull return).
extension FirmwareEngine {
    typealias V = FirmwareInstance.Value

    /// Instances of a class, or `nil` when the firmware does not know the class.
    func instances(of className: String) -> [FirmwareInstance]? {
        let hw = state.profile.hardware
        switch className {
        case "CIM_AssociatedPowerManagementService", "CIM_ServiceAvailableToElement":
            return [associatedPowerManagementService]
        case "CIM_PowerManagementService":
            return [FirmwareInstance(.cim, className, [
                ("CreationClassName", .text(className)), ("ElementName", .text("Intel(r) AMT Power Management Service")),
                ("EnabledState", .text("5")), ("Name", .text("Intel(r) AMT Power Management Service")),
                ("RequestedState", .text("12")), ("SystemCreationClassName", .text("CIM_ComputerSystem")),
                ("SystemName", .text("Intel(r) AMT")),
            ])]
        case "CIM_BootService":
            return [FirmwareInstance(.cim, className, [
                ("CreationClassName", .text(className)), ("ElementName", .text("Intel(r) AMT Boot Service")),
                ("EnabledState", .text("2")), ("Name", .text("Intel(r) AMT Boot Service")),
                ("OperationalStatus", .text("0")), ("RequestedState", .text("12")),
                ("SystemCreationClassName", .text("CIM_ComputerSystem")), ("SystemName", .text("Intel(r) AMT")),
            ])]
        case "CIM_BootConfigSetting":
            return [FirmwareInstance(.cim, className, [
                ("ElementName", .text("Intel(r) AMT: Boot Configuration")),
                ("InstanceID", .text(Self.bootConfigurationInstanceID)),
            ])]
        case "CIM_BootSourceSetting":
            let strings = ["CIM:Hard-Disk:1", "CIM:CD/DVD:1", "CIM:Network:1"]
            return zip(Self.bootSources, strings).map { id, structured in
                FirmwareInstance(.cim, className, [
                    ("ElementName", .text(id)), ("FailThroughSupported", .text("2")), ("InstanceID", .text(id)),
                    ("StructuredBootString", .text(structured)),
                ])
            }
        case "AMT_BootSettingData":
            return [bootSettingDataInstance]
        case "AMT_BootCapabilities":
            return [FirmwareInstance(.amt, state.profile.bootCapabilities.instance)]
        case "CIM_SoftwareIdentity":
            return softwareIdentities
        case "AMT_SetupAndConfigurationService":
            return [FirmwareInstance(.amt, className, [
                ("CreationClassName", .text(className)),
                ("ElementName", .text("Intel(r) AMT Setup and Configuration Service")), ("EnabledState", .text("5")),
                ("Name", .text("Intel(r) AMT Setup and Configuration Service")), ("PasswordModel", .text("1")),
                ("ProvisioningMode", .text("1")), ("ProvisioningServerOTP", .text("")), ("ProvisioningState", .text("2")),
                ("RequestedState", .text("12")), ("SystemCreationClassName", .text("CIM_ComputerSystem")),
                ("SystemName", .text("Intel(r) AMT")), ("ZeroTouchConfigurationEnabled", .text("true")),
            ])]
        case "AMT_GeneralSettings":
            return [generalSettings]
        case "CIM_ComputerSystemPackage", "CIM_SystemPackaging":
            return [FirmwareInstance(.cim, "CIM_ComputerSystemPackage", [
                ("Antecedent", FirmwareInstance.endpointReference("CIM_Chassis", [("CreationClassName", "CIM_Chassis"), ("Tag", "CIM_Chassis")])),
                ("Dependent", FirmwareInstance.endpointReference("CIM_ComputerSystem", [("CreationClassName", "CIM_ComputerSystem"), ("Name", "ManagedSystem")])),
                ("PlatformGUID", .text(platformGUID)),
            ])]
        case "CIM_Chassis":
            return [FirmwareInstance(.cim, className, [
                ("ChassisPackageType", .text("0")), ("CreationClassName", .text(className)),
                ("ElementName", .text("Managed System Chassis")), ("Manufacturer", .text(hw.chassisManufacturer)),
                ("Model", .text(hw.chassisModel)), ("OperationalStatus", .text("0")), ("PackageType", .text("3")),
                ("SerialNumber", .text(hw.chassisSerialNumber)), ("Tag", .text(className)), ("Version", .text(hw.chassisVersion)),
            ])]
        case "CIM_Card", "CIM_PhysicalPackage":
            return [card]
        case "CIM_BIOSElement":
            return [FirmwareInstance(.cim, className, [
                ("ElementName", .text("Primary BIOS")), ("Manufacturer", .text(hw.biosManufacturer)),
                ("Name", .text("Primary BIOS")), ("OperationalStatus", .text("0")), ("PrimaryBIOS", .text("true")),
                ("ReleaseDate", FirmwareInstance.datetime(hw.biosReleaseDate)), ("SoftwareElementID", .text(hw.biosVersion)),
                ("SoftwareElementState", .text("2")), ("TargetOperatingSystem", .text("66")), ("Version", .text(hw.biosVersion)),
            ])]
        case "CIM_Processor":
            return [FirmwareInstance(.cim, className, [
                ("CPUStatus", .text("1")), ("CreationClassName", .text(className)),
                ("CurrentClockSpeed", .text(String(hw.processorCurrentClockMHz))), ("DeviceID", .text("CPU 0")),
                ("ElementName", .text("Managed System CPU")), ("EnabledState", .text("2")),
                ("ExternalBusClockSpeed", .text("100")), ("Family", .text(String(hw.processorFamily))),
                ("HealthState", .text("0")), ("MaxClockSpeed", .text(String(hw.processorMaxClockMHz))),
                ("OperationalStatus", .text("0")), ("OtherFamilyDescription", .text("")), ("RequestedState", .text("12")),
                ("Role", .text("Central")), ("Stepping", .text("10")),
                ("SystemCreationClassName", .text("CIM_ComputerSystem")), ("SystemName", .text("ManagedSystem")),
                ("UpgradeMethod", .text("52")),
            ])]
        case "CIM_Chip":
            return [FirmwareInstance(.cim, className, [
                ("CanBeFRUed", .text("true")), ("CreationClassName", .text(className)),
                ("ElementName", .text("Managed System Processor Chip")), ("Manufacturer", .text("Intel(R) Corporation")),
                ("OperationalStatus", .text("0")), ("Tag", .text("CPU 0")), ("Version", .text(hw.processorName)),
            ])]
        case "CIM_PhysicalMemory":
            return hw.memory.enumerated().map { index, module in
                FirmwareInstance(.cim, className, [
                    ("BankLabel", .text(module.bankLabel)), ("Capacity", .text(String(module.capacityBytes))),
                    ("ConfiguredMemoryClockSpeed", .text(String(module.speedMHz))), ("CreationClassName", .text(className)),
                    ("ElementName", .text("Managed System Memory Chip")), ("FormFactor", .text("13")),
                    ("IsSpeedInMhz", .text("true")), ("Manufacturer", .text(module.manufacturer)),
                    ("MaxMemorySpeed", .text(String(module.speedMHz))), ("MemoryType", .text("26")),
                    ("PartNumber", .text(module.partNumber)), ("SerialNumber", .text(module.serialNumber)),
                    ("Speed", .text("0")), ("Tag", .text(index == 0 ? "9876543210" : "9876543210 (#\(index))")),
                ])
            }
        case "CIM_MediaAccessDevice":
            return hw.mediaSizesKB.enumerated().map { index, size in
                FirmwareInstance(.cim, className, [
                    ("Capabilities", .text("4")), ("CreationClassName", .text(className)),
                    ("DeviceID", .text("MEDIA DEV \(index)")), ("ElementName", .text("Managed System Media Access Device")),
                    ("EnabledDefault", .text("2")), ("EnabledState", .text("0")), ("MaxMediaSize", .text(String(size))),
                    ("OperationalStatus", .text("0")), ("RequestedState", .text("12")), ("Security", .text("2")),
                    ("SystemCreationClassName", .text("CIM_ComputerSystem")), ("SystemName", .text("ManagedSystem")),
                ])
            }
        default:
            return maintenanceInstances(of: className) ?? networkInstances(of: className)
        }
    }

    var bootSettingDataInstance: FirmwareInstance {
        FirmwareInstance(.amt, state.bootSettings.instance(uefi: state.profile.uefiBootSettings))
    }

    private var associatedPowerManagementService: FirmwareInstance {
        FirmwareInstance(.cim, "CIM_AssociatedPowerManagementService", [
            ("AvailableRequestedPowerStates", .list(state.availablePowerStates.map(String.init))),
            ("PowerState", .text(String(state.powerState))),
            ("ServiceProvided", FirmwareInstance.endpointReference("CIM_PowerManagementService", [
                ("CreationClassName", "CIM_PowerManagementService"), ("Name", "Intel(r) AMT Power Management Service"),
                ("SystemCreationClassName", "CIM_ComputerSystem"), ("SystemName", "Intel(r) AMT"),
            ])),
            ("UserOfService", FirmwareInstance.endpointReference("CIM_ComputerSystem", [
                ("CreationClassName", "CIM_ComputerSystem"), ("Name", "ManagedSystem"),
            ])),
        ])
    }

    private var softwareIdentities: [FirmwareInstance] {
        let profile = state.profile
        let entries: [(String, String)] = [
            ("Flash", profile.amtVersion), ("Netstack", profile.amtVersion), ("AMTApps", profile.amtVersion),
            ("AMT", profile.amtVersion), ("Sku", profile.sku), ("VendorID", "8086"),
            ("Build Number", profile.buildNumber), ("Recovery Version", profile.amtVersion),
            ("Recovery Build Num", profile.buildNumber), ("Legacy Mode", "False"),
            ("AMT FW Core Version", profile.amtVersion),
        ]
        return entries.map { id, version in
            FirmwareInstance(.cim, "CIM_SoftwareIdentity", [
                ("InstanceID", .text(id)), ("IsEntity", .text("true")), ("VersionString", .text(version)),
            ])
        }
    }

    private var generalSettings: FirmwareInstance {
        let host = "amtsim-" + uuid.prefix(8).lowercased()
        return FirmwareInstance(.amt, "AMT_GeneralSettings", [
            ("AMTNetworkEnabled", .text("1")), ("DDNSPeriodicUpdateInterval", .text("1440")), ("DDNSTTL", .text("900")),
            ("DDNSUpdateByDHCPServerEnabled", .text("true")), ("DDNSUpdateEnabled", .text("false")),
            ("DHCPv6ConfigurationTimeout", .text("0")), ("DigestRealm", .text(verifier.realm)),
            ("DomainName", .text("")), ("ElementName", .text("Intel(r) AMT: General Settings")),
            ("HostName", .text(host)), ("HostOSFQDN", .text(host)), ("IdleWakeTimeout", .text("1")),
            ("InstanceID", .text("Intel(r) AMT: General Settings")), ("NetworkInterfaceEnabled", .text("true")),
            ("PingResponseEnabled", .text("true")), ("PowerSource", .text("0")), ("PreferredAddressFamily", .text("0")),
            ("PresenceNotificationInterval", .text("0")), ("PrivacyLevel", .text("0")),
            ("RmcpPingResponseEnabled", .text("true")), ("SharedFQDN", .text("true")),
            ("ThunderboltDockEnabled", .text("0")), ("WsmanOnlyMode", .text("false")),
        ])
    }

    private var card: FirmwareInstance {
        let hw = state.profile.hardware
        return FirmwareInstance(.cim, "CIM_Card", [
            ("CanBeFRUed", .text("true")), ("CreationClassName", .text("CIM_Card")),
            ("ElementName", .text("Managed System Base Board")), ("Manufacturer", .text(hw.boardManufacturer)),
            ("Model", .text(hw.boardModel)), ("OperationalStatus", .text("0")), ("PackageType", .text("9")),
            ("SerialNumber", .text(hw.boardSerialNumber)), ("Tag", .text("CIM_Card")), ("Version", .text(hw.boardVersion)),
        ])
    }
}
