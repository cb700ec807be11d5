/// Role values of `CIM_BootService.SetBootConfigRole`.
public enum BootConfigRole: Int, Sendable {
    /// IsNext.
    case isNext = 0
    /// IsNextSingleUse (what power/boot actions use).
    case isNextSingleUse = 1
    /// IsDefault.
    case isDefault = 2
}

/// A forced boot source (`CIM_BootSourceSetting` InstanceID) for `ChangeBootOrder`.
public enum BootSource: Sendable, Hashable {
    /// `Intel(r) AMT: Force Hard-drive Boot`.
    case hardDrive
    /// `Intel(r) AMT: Force CD/DVD Boot`.
    case cdDVD
    /// `Intel(r) AMT: Force PXE Boot`.
    case pxe
    /// Any other `CIM_BootSourceSetting` InstanceID (e.g. `Intel(r) AMT: Force OCR UEFI HTTPS Boot`).
    case instanceID(String)

    /// The `CIM_BootSourceSetting` InstanceID.
    public var instanceID: String {
        switch self {
        case .hardDrive: return "Intel(r) AMT: Force Hard-drive Boot"
        case .cdDVD: return "Intel(r) AMT: Force CD/DVD Boot"
        case .pxe: return "Intel(r) AMT: Force PXE Boot"
        case .instanceID(let id): return id
        }
    }
}

extension WSManRequest {
    /// `CIM_PowerManagementService.RequestPowerStateChange(PowerState, ManagedElement)`.
    public static func requestPowerStateChange(
        _ state: PowerState, messageID: String, managedElement: EndpointReference = .managedSystem
    ) -> WSManRequest {
        invoke(.cimPowerManagementService, method: "RequestPowerStateChange",
               inputXML: "<h:PowerState>\(state.rawValue)</h:PowerState>"
                   + "<h:ManagedElement>\(managedElement.innerXML)</h:ManagedElement>",
               messageID: messageID)
    }

    /// `CIM_BootService.SetBootConfigRole` for a `CIM_BootConfigSetting` instance.
    public static func setBootConfigRole(
        role: BootConfigRole = .isNextSingleUse,
        bootConfigInstanceID: String = "Intel(r) AMT: Boot Configuration 0",
        messageID: String
    ) -> WSManRequest {
        let ref = EndpointReference(
            resourceURI: WSManResource.cimBootConfigSetting.uri,
            selectors: [WSManSelector(name: "InstanceID", value: bootConfigInstanceID)])
        return invoke(.cimBootService, method: "SetBootConfigRole",
                      inputXML: "<h:BootConfigSetting>\(ref.innerXML)</h:BootConfigSetting><h:Role>\(role.rawValue)</h:Role>",
                      messageID: messageID)
    }

    /// `CIM_BootConfigSetting.ChangeBootOrder`: with a source forces that device for the next
    /// boot; with `nil` sends the empty input, which clears any forced source.
    public static func changeBootOrder(source: BootSource?, messageID: String) -> WSManRequest {
        var input = ""
        if let source {
            let ref = EndpointReference(
                resourceURI: WSManResource.cimBootSourceSetting.uri,
                selectors: [WSManSelector(name: "InstanceID", value: source.instanceID)])
            input = "<h:Source>\(ref.innerXML)</h:Source>"
        }
        return invoke(.cimBootConfigSetting, method: "ChangeBootOrder", inputXML: input, messageID: messageID)
    }

    /// Put `AMT_BootSettingData` with the given instance (normally the one read with Get,
    /// modified), properties in their original order.
    public static func putBootSettingData(_ instance: WSManInstance, messageID: String) -> WSManRequest {
        put(.amtBootSettingData, instance: instance, messageID: messageID)
    }
}
