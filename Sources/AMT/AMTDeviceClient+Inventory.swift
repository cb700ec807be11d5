import TetherJSON
import WSMan

/// Version, general settings and hardware inventory (MPS REST shapes).
extension AMTDeviceClient {
    /// MPS `version`: `{"CIM_SoftwareIdentity":{"responses":[…],"status":200},
    /// "AMT_SetupAndConfigurationService":{"response":{…},"responses":{"Header","Body"},"status":200}}`.
    public func version() async throws(AMTError) -> JSONValue {
        let identities = try await enumerate(.cimSoftwareIdentity)
        let (reply, setup) = try await get(.amtSetupAndConfigurationService)
        return [
            "CIM_SoftwareIdentity": ["responses": .array(identities.map(WSManJSON.object)), "status": 200],
            "AMT_SetupAndConfigurationService": [
                "response": WSManJSON.object(setup), "responses": WSManJSON.envelope(reply), "status": 200,
            ],
        ]
    }

    /// MPS `generalSettings`: `{"Header":{…},"Body":{AMT_GeneralSettings fields}}`.
    public func generalSettings() async throws(AMTError) -> JSONValue {
        let (reply, settings) = try await get(.amtGeneralSettings)
        return ["Header": WSManJSON.header(reply.header), "Body": WSManJSON.object(settings)]
    }

    /// MPS `hardwareInfo`: one entry per class, `{"response"?, "responses": […], "status": 200|400}`.
    /// A class the device cannot answer gets status 400 (its error is under `"error"`); transport
    /// failures (not connected, timeout, auth) abort the whole request.
    public func hardwareInfo() async throws(AMTError) -> JSONValue {
        var result: [String: JSONValue] = [:]
        for resource in [WSManResource.cimComputerSystemPackage, .cimChassis, .cimCard, .cimBIOSElement] {
            do {
                let (_, instance) = try await get(resource)
                let object = WSManJSON.object(instance)
                result[resource.className] = ["response": object, "responses": [object], "status": 200]
            } catch {
                result[resource.className] = try Self.classFailure(error)
            }
        }
        for resource in [WSManResource.cimProcessor, .cimPhysicalMemory, .cimMediaAccessDevice, .cimPhysicalPackage,
                         WSManResource(.cim, "CIM_SystemPackaging"), .cimChip] {
            do {
                let items = try await enumerate(resource)
                result[resource.className] = ["responses": .array(items.map(WSManJSON.object)), "status": 200]
            } catch {
                result[resource.className] = try Self.classFailure(error)
            }
        }
        return .object(result)
    }

    /// A per-class failure entry; rethrows errors that are not about the class itself.
    private static func classFailure(_ error: AMTError) throws(AMTError) -> JSONValue {
        switch error {
        case .fault, .malformedReply:
            return ["responses": [], "status": 400, "error": .string(error.description)]
        default:
            throw error
        }
    }
}
