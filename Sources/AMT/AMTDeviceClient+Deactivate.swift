import WSMan

extension AMTDeviceClient {
    /// `AMT_SetupAndConfigurationService.Unprovision(ProvisioningMode = 1)`: the device leaves
    /// client control mode (mps-api.md §2.3.6). Returns the device's `ReturnValue`.
    public func unprovision() async throws(AMTError) -> ReturnValue {
        try await invoke(
            .invoke(.amtSetupAndConfigurationService, method: "Unprovision", parameters: [("ProvisioningMode", "1")],
                    messageID: nextMessageID()),
            method: "Unprovision"
        ).1
    }
}
