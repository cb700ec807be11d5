import TetherJSON
import WSMan

/// Power state, power change and power capabilities (results in Open AMT MPS REST shapes).
extension AMTDeviceClient {
    /// The DMTF power state from `CIM_AssociatedPowerManagementService` (Enumerate + Pull of
    /// `CIM_ServiceAvailableToElement`).
    public func powerState() async throws(AMTError) -> Int {
        let items = try await enumerate(.cimServiceAvailableToElement)
        guard let service = items.first(where: { $0.className == "CIM_AssociatedPowerManagementService" }) ?? items.first,
              let state = service.int("PowerState")
        else { throw .malformedReply("no CIM_AssociatedPowerManagementService.PowerState in the reply") }
        return state
    }

    /// `CIM_PowerManagementService.RequestPowerStateChange`: MPS shape
    /// `{"Header":{…},"Body":{"ReturnValue":n,"ReturnValueStr":"…"}}` (whatever the value).
    public func requestPowerStateChange(_ state: Int) async throws(AMTError) -> JSONValue {
        guard let powerState = PowerState(rawValue: state) else {
            throw .invalidArgument("powerState must be a DMTF power state 1–17, got \(state)")
        }
        let (reply, value) = try await invoke(
            .requestPowerStateChange(powerState, messageID: nextMessageID()), method: "RequestPowerStateChange")
        return ["Header": WSManJSON.header(reply.header), "Body": Self.returnValueJSON(value)]
    }

    /// `{"ReturnValue": n, "ReturnValueStr": "…"}`.
    public static func returnValueJSON(_ value: ReturnValue) -> JSONValue {
        ["ReturnValue": .number(value.code), "ReturnValueStr": .string(value.returnValueStr)]
    }

    /// MPS `power/capabilities`: labels → action codes, from the AMT major version and
    /// `AMT_BootCapabilities`.
    public func powerCapabilities() async throws(AMTError) -> JSONValue {
        let identities = try await enumerate(.cimSoftwareIdentity)
        _ = try await get(.amtSetupAndConfigurationService)
        let (_, capabilities) = try await get(.amtBootCapabilities)
        let amt = identities.first { $0.string("InstanceID") == "AMT" }?.string("VersionString") ?? ""
        let major = Int(amt.split(separator: ".").first ?? "") ?? 0
        return Self.capabilities(major: major, boot: capabilities)
    }

    static func capabilities(major: Int, boot: WSManInstance) -> JSONValue {
        var result: [String: JSONValue] = ["Power up": 2, "Power cycle": 5, "Power down": 8, "Reset": 10]
        if major > 9 {
            result["Soft-off"] = 12
            result["Soft-reset"] = 14
            result["Sleep"] = 4
            result["Hibernate"] = 7
        }
        if boot.bool("BIOSSetup") == true {
            result["Power up to BIOS"] = 100
            result["Reset to BIOS"] = 101
        }
        if boot.bool("SecureErase") == true { result["Reset to Secure Erase"] = 104 }
        result["Reset to IDE-R Floppy"] = 200
        result["Power on to IDE-R Floppy"] = 201
        result["Reset to IDE-R CDROM"] = 202
        result["Power on to IDE-R CDROM"] = 203
        if boot.bool("ForceDiagnosticBoot") == true {
            result["Power on to diagnostic"] = 300
            result["Reset to diagnostic"] = 301
        }
        result["Reset to PXE"] = 400
        result["Power on to PXE"] = 401
        return .object(result)
    }
}
