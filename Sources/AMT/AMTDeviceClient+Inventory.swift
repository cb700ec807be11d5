import TetherJSON
import WSMan

/// Version, general settings and hardware inventory (neutral typed results).
extension AMTDeviceClient {
    /// The `CIM_SoftwareIdentity` instances and `AMT_SetupAndConfigurationService`.
    public func version() async throws(AMTError) -> AMTVersion {
        let identities = try await enumerate(.cimSoftwareIdentity)
        let (reply, setup) = try await get(.amtSetupAndConfigurationService)
        return AMTVersion(
            softwareIdentity: identities.map(WSManJSON.object), setupAndConfiguration: WSManJSON.object(setup),
            replyHeader: WSManReplyHeader(reply.header))
    }

    /// The `AMT_GeneralSettings` instance.
    public func generalSettings() async throws(AMTError) -> AMTGeneralSettings {
        let (reply, settings) = try await get(.amtGeneralSettings)
        return AMTGeneralSettings(generalSettings: WSManJSON.object(settings), replyHeader: WSManReplyHeader(reply.header))
    }

    /// The hardware inventory, one entry per CIM class. A class the device cannot answer gets an
    /// error entry; transport failures (not connected, timeout, auth) abort the whole request.
    public func hardwareInfo() async throws(AMTError) -> AMTHardwareInventory {
        var classes: [String: AMTHardwareInventory.ClassReading] = [:]
        for resource in [WSManResource.cimComputerSystemPackage, .cimChassis, .cimCard, .cimBIOSElement] {
            do {
                let (_, instance) = try await get(resource)
                classes[resource.className] = .init(operation: "get", instances: [WSManJSON.object(instance)])
            } catch {
                classes[resource.className] = try Self.classFailure(error, operation: "get")
            }
        }
        for resource in [WSManResource.cimProcessor, .cimPhysicalMemory, .cimMediaAccessDevice, .cimPhysicalPackage,
                         WSManResource(.cim, "CIM_SystemPackaging"), .cimChip] {
            do {
                let items = try await enumerate(resource)
                classes[resource.className] = .init(operation: "enumerate", instances: items.map(WSManJSON.object))
            } catch {
                classes[resource.className] = try Self.classFailure(error, operation: "enumerate")
            }
        }
        return AMTHardwareInventory(classes: classes)
    }

    /// A per-class failure entry; rethrows errors that are not about the class itself.
    private static func classFailure(_ error: AMTError, operation: String) throws(AMTError) -> AMTHardwareInventory.ClassReading {
        switch error {
        case .fault, .malformedReply:
            return .init(operation: operation, error: .init(code: "device_error", message: error.description))
        default:
            throw error
        }
    }
}
