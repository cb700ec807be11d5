import TetherJSON
import WSMan

/// User consent (opt-in) for redirection: `IPS_OptInService` `StartOptIn`, `SendOptInCode`,
/// `CancelOptIn` (shared/reference/mps-api.md §2.3). Each returns the device's ReturnValue with the
/// reply's header, whatever the value; the caller decides what a non-zero value means.
extension AMTDeviceClient {
    /// Asks the device to show a consent code on its screen.
    public func requestUserConsent() async throws(AMTError) -> AMTMethodResult {
        try await optIn("StartOptIn", parameters: [])
    }

    /// Sends the code the user read from the screen (AMT checks it; a wrong one is refused).
    public func sendUserConsentCode(_ code: Int) async throws(AMTError) -> AMTMethodResult {
        try await optIn("SendOptInCode", parameters: [("OptInCode", String(code))])
    }

    /// Withdraws a consent request (or ends a granted consent).
    public func cancelUserConsent() async throws(AMTError) -> AMTMethodResult {
        try await optIn("CancelOptIn", parameters: [])
    }

    private func optIn(_ method: String, parameters: [(name: String, value: String)]) async throws(AMTError) -> AMTMethodResult {
        let (reply, value) = try await invoke(
            .invoke(.ipsOptInService, method: method, parameters: parameters, messageID: nextMessageID()), method: method)
        return AMTMethodResult(value, replyHeader: reply.header)
    }
}
