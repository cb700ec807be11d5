import Activation
import Foundation
import Store
import WSMan

/// Maintenance `syncip` and `syncdeviceinfo` (shared/reference/rps.md §6.12).
extension ActivationSession {
    /// One logged WS-Man call of a maintenance task: the reply, or `nil` after the task was
    /// finished with the failure.
    typealias MaintenanceCall = (ActivationStep, WSManRequest) async -> WSManEnvelope?
    /// Ends the task: succeeded, status text.
    typealias MaintenanceFinish = (Bool, String) async -> Void

    /// `syncip`: the wired port's static address set to the OS's (`ipConfiguration`):
    /// `AMT_EthernetPortSettings` Enumerate, Pull, Put. RPS's messages for a missing
    /// `ipConfiguration`, a device without wired settings, a wireless-only device and an
    /// address already in AMT; a wired port on DHCP is refused (nothing to synchronise).
    func syncIP(
        _ payload: DevicePayload, tenantId: String, store: TetherStore, call: MaintenanceCall, finish: MaintenanceFinish
    ) async {
        guard let address = payload.ipConfiguration, let ip = address.ipAddress, !ip.isEmpty else {
            return await finish(false, "\(payload.uuid) - missing ipConfiguration")
        }
        guard let enumeration = await call(.enumerateEthernetPorts, .enumerate(AMTNetworkRequests.ethernetPortSettings, messageID: "0")) else {
            return
        }
        guard let context = enumeration.enumerationContext else { return await finish(false, "Failed: no EnumerationContext") }
        guard let pulled = await call(
            .pullEthernetPorts, .pull(AMTNetworkRequests.ethernetPortSettings, context: context, messageID: "1")) else { return }
        guard let wired = AMTNetworkRequests.wired(pulled.pullItems) else {
            return await finish(false, AMTNetworkRequests.wireless(pulled.pullItems) != nil
                ? "Not applicable for wireless only device" : "Device has no wired configuration settings")
        }
        if wired.bool("DHCPEnabled") == true {
            return await finish(false, "Device \(payload.uuid) maintenance failed. The wired port uses DHCP: syncip applies to a static address")
        }
        if wired.string("IPAddress") == ip { return await finish(true, "IPAddress already synchronized") }
        guard await call(.putWiredPort, AMTNetworkRequests.putStaticAddress(wired, address, messageID: "2")) != nil else { return }
        if var device = try? await store.devices.get(guid: payload.guid, tenantId: tenantId) {
            var info = device.deviceInfo ?? DeviceInfo()
            info.ipAddress = ip
            info.lastUpdated = Date()
            device.deviceInfo = info
            _ = try? await store.devices.update(device)
        }
        await finish(true, "IP address synchronized")
    }

    /// `syncdeviceinfo`: the stored device record's `deviceInfo` from the payload (firmware
    /// version, build, SKU, mode, features, the OS's address, now). No AMT call.
    func syncDeviceInfo(_ payload: DevicePayload, tenantId: String, store: TetherStore, id: String, finish: MaintenanceFinish) async {
        do {
            var device = try await store.devices.get(guid: payload.guid, tenantId: tenantId)
            device.deviceInfo = DeviceInfo(
                fwVersion: payload.ver, fwBuild: payload.build, fwSku: payload.sku, currentMode: payload.currentMode.map(String.init),
                features: payload.features, ipAddress: payload.ipConfiguration?.ipAddress ?? device.deviceInfo?.ipAddress,
                lastUpdated: Date())
            _ = try await store.devices.update(device)
        } catch {
            host.activations.log(id, ActivationStepResult(step: .saveDevice, ok: false, detail: "\(error)"))
            return await finish(false, "Device \(payload.uuid) maintenance failed. Cannot update the device record: \(error)")
        }
        host.activations.log(id, ActivationStepResult(step: .saveDevice, ok: true, detail: "deviceInfo updated"))
        await finish(true, "Device info synchronized")
    }
}
