import Foundation
import PluginHost
import Store
import TetherJSON

extension TetherHost {
    /// How long a redirection token lives (MPS `redirection_expiration_time`, 5 minutes).
    static let redirectionTokenLifetime: Duration = .seconds(300)

    /// `auth.redirection {guid}` → `{token}`: MPS's redirection token, a JWT whose `deviceId` is
    /// the device's GUID, valid for 5 minutes and only for that device's redirection (`auth.verify`
    /// accepts it only when asked with that `deviceId`, so it never opens the API).
    func registerRedirectionTokenCommand(tokens: TokenAuthority) {
        bus.register(
            name: "auth.redirection", summary: "A 5-minute redirection token for a registered device: {guid} → {token}",
            provider: "host"
        ) { [weak self] args in
            guard let self else { throw CommandError(.unavailable, "the host is shutting down") }
            guard let text = args["guid"]?.stringValue, let uuid = UUID(uuidString: text) else {
                throw CommandError(.badRequest, "auth.redirection needs {\"guid\": a UUID}",
                                   detail: .array([["field": "guid", "message": "Invalid value"]]))
            }
            let guid = uuid.uuidString.lowercased()
            do {
                _ = try await self.adminStore().devices.find(guid: guid)
            } catch StoreError.notFound {
                throw CommandError(.notFound, "Device ID \(guid) not found")
            }
            let token: String
            do {
                token = try tokens.issue(subject: "redirection", lifetime: Self.redirectionTokenLifetime, deviceId: guid)
            } catch {
                throw CommandError(.internal, "cannot issue a token: \(error)")
            }
            return ["token": .string(token)]
        }
    }
}
