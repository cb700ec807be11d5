import WSMan

extension AMTDeviceClient {
    /// `AMT_SetupAndConfigurationService.Unprovision(ProvisioningMode = 1)`: the device leaves
    /// client control mode (shared/reference/mps-api.md §2.3.6). Returns the device's `ReturnValue`.
    public func unprovision() async throws(AMTError) -> ReturnValue {
        try await invoke(
            .invoke(.amtSetupAndConfigurationService, method: "Unprovision", parameters: [("ProvisioningMode", "1")],
                    messageID: nextMessageID()),
            method: "Unprovision"
        ).1
    }
}

extension AMTDeviceClient {
    /// MPS's device refresh: forgets the cached digest credentials, so the next call reads the
    /// AMT password from the store again, and closes the idle channels.
    public func refreshCredentials() {
        state.withLock { $0.credentials = nil }
        closeIdleChannels()
    }
}
