import TetherJSON
import WSMan

/// Power state, power change and power capabilities (neutral typed results, see `Results/`).
extension AMTDeviceClient {
    /// The DMTF power state from `CIM_AssociatedPowerManagementService` (an enumeration of
    /// `CIM_ServiceAvailableToElement`: one optimized Enumerate, or Enumerate + Pull).
    public func powerState() async throws(AMTError) -> Int {
        // Read from the item's element: the one property, not the references around it.
        let items = try await enumerateElements(.cimServiceAvailableToElement)
        guard let service = items.first(where: { $0.localName == "CIM_AssociatedPowerManagementService" }) ?? items.first,
              let text = service.child("PowerState")?.trimmedText, let state = Int(text)
        else { throw .malformedReply("no CIM_AssociatedPowerManagementService.PowerState in the reply") }
        return state
    }

    /// `CIM_PowerManagementService.RequestPowerStateChange`: the device's ReturnValue (whatever
    /// it is) with the reply's header.
    public func requestPowerStateChange(_ state: Int) async throws(AMTError) -> AMTMethodResult {
        guard let powerState = PowerState(rawValue: state) else {
            throw .invalidArgument("powerState must be a DMTF power state 1–17, got \(state)")
        }
        let (reply, value) = try await invoke(
            .requestPowerStateChange(powerState, messageID: nextMessageID()), method: "RequestPowerStateChange")
        return AMTMethodResult(value, replyHeader: reply.header)
    }

    /// The Open AMT action codes the device supports, from the AMT major version and
    /// `AMT_BootCapabilities`.
    public func powerCapabilities() async throws(AMTError) -> AMTPowerCapabilities {
        let identities = try await enumerate(.cimSoftwareIdentity)
        _ = try await get(.amtSetupAndConfigurationService)
        let (_, capabilities) = try await get(.amtBootCapabilities)
        let amt = identities.first { $0.string("InstanceID") == "AMT" }?.string("VersionString") ?? ""
        let major = Int(amt.split(separator: ".").first ?? "") ?? 0
        return Self.capabilities(major: major, boot: capabilities)
    }

    static func capabilities(major: Int, boot: WSManInstance) -> AMTPowerCapabilities {
        // Power up, power cycle, power down, reset; IDE-R floppy/CD and PXE boots always.
        var codes = [2, 5, 8, 10, 200, 201, 202, 203, 400, 401]
        if major > 9 { codes += [4, 7, 12, 14] }  // sleep, hibernate, soft-off, soft-reset
        if boot.bool("BIOSSetup") == true { codes += [100, 101] }
        if boot.bool("SecureErase") == true { codes.append(104) }
        if boot.bool("ForceDiagnosticBoot") == true { codes += [300, 301] }
        return AMTPowerCapabilities(actionCodes: codes)
    }
}
