/// A WS-Management resource: a CIM, AMT or IPS class, identified by its resource URI.
public struct WSManResource: Sendable, Hashable, CustomStringConvertible {
    /// Which schema family a class belongs to.
    public enum Schema: String, Sendable, Hashable {
        /// DMTF CIM (`http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/`).
        case cim
        /// Intel AMT (`http://intel.com/wbem/wscim/1/amt-schema/1/`).
        case amt
        /// Intel IPS (`http://intel.com/wbem/wscim/1/ips-schema/1/`).
        case ips

        /// The URI prefix of this schema.
        public var baseURI: String {
            switch self {
            case .cim: return WSManNamespace.cimSchema
            case .amt: return WSManNamespace.amtSchema
            case .ips: return WSManNamespace.ipsSchema
            }
        }
    }

    /// The schema family.
    public let schema: Schema
    /// The class name (`"CIM_PowerManagementService"`).
    public let className: String

    /// A class in a schema.
    public init(_ schema: Schema, _ className: String) {
        self.schema = schema
        self.className = className
    }

    /// Recognises a resource URI of one of the three schema families; `nil` otherwise.
    public init?(uri: String) {
        for schema in [Schema.cim, .amt, .ips] where uri.hasPrefix(schema.baseURI) {
            let name = String(uri.dropFirst(schema.baseURI.count))
            guard !name.isEmpty, !name.contains("/") else { return nil }
            self.init(schema, name)
            return
        }
        return nil
    }

    /// The full resource URI (also the class namespace in bodies).
    public var uri: String { schema.baseURI + className }

    /// The action URI of a method on this class (`{uri}/{method}`).
    public func methodAction(_ method: String) -> String { uri + "/" + method }

    public var description: String { uri }
}

extension WSManResource {
    /// `CIM_AssociatedPowerManagementService`.
    public static let cimAssociatedPowerManagementService = WSManResource(.cim, "CIM_AssociatedPowerManagementService")
    /// `CIM_ServiceAvailableToElement` (enumerated to read the power state).
    public static let cimServiceAvailableToElement = WSManResource(.cim, "CIM_ServiceAvailableToElement")
    /// `CIM_PowerManagementService`.
    public static let cimPowerManagementService = WSManResource(.cim, "CIM_PowerManagementService")
    /// `CIM_ComputerSystem`.
    public static let cimComputerSystem = WSManResource(.cim, "CIM_ComputerSystem")
    /// `CIM_BootService`.
    public static let cimBootService = WSManResource(.cim, "CIM_BootService")
    /// `CIM_BootConfigSetting`.
    public static let cimBootConfigSetting = WSManResource(.cim, "CIM_BootConfigSetting")
    /// `CIM_BootSourceSetting`.
    public static let cimBootSourceSetting = WSManResource(.cim, "CIM_BootSourceSetting")
    /// `CIM_SoftwareIdentity`.
    public static let cimSoftwareIdentity = WSManResource(.cim, "CIM_SoftwareIdentity")
    /// `CIM_ComputerSystemPackage`.
    public static let cimComputerSystemPackage = WSManResource(.cim, "CIM_ComputerSystemPackage")
    /// `CIM_Chassis`.
    public static let cimChassis = WSManResource(.cim, "CIM_Chassis")
    /// `CIM_Card`.
    public static let cimCard = WSManResource(.cim, "CIM_Card")
    /// `CIM_BIOSElement`.
    public static let cimBIOSElement = WSManResource(.cim, "CIM_BIOSElement")
    /// `CIM_Processor`.
    public static let cimProcessor = WSManResource(.cim, "CIM_Processor")
    /// `CIM_PhysicalMemory`.
    public static let cimPhysicalMemory = WSManResource(.cim, "CIM_PhysicalMemory")
    /// `CIM_MediaAccessDevice`.
    public static let cimMediaAccessDevice = WSManResource(.cim, "CIM_MediaAccessDevice")
    /// `CIM_PhysicalPackage`.
    public static let cimPhysicalPackage = WSManResource(.cim, "CIM_PhysicalPackage")
    /// `CIM_Chip`.
    public static let cimChip = WSManResource(.cim, "CIM_Chip")
    /// `AMT_BootSettingData`.
    public static let amtBootSettingData = WSManResource(.amt, "AMT_BootSettingData")
    /// `AMT_BootCapabilities`.
    public static let amtBootCapabilities = WSManResource(.amt, "AMT_BootCapabilities")
    /// `AMT_SetupAndConfigurationService`.
    public static let amtSetupAndConfigurationService = WSManResource(.amt, "AMT_SetupAndConfigurationService")
    /// `AMT_GeneralSettings`.
    public static let amtGeneralSettings = WSManResource(.amt, "AMT_GeneralSettings")
    /// `IPS_OptInService`.
    public static let ipsOptInService = WSManResource(.ips, "IPS_OptInService")
}
