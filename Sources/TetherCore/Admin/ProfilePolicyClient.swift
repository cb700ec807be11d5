import PluginHost
import Store
import TetherJSON

/// Delegates mode-specific profile rules to the plugin that declares the profile's activation
/// mode under `tether.profile-policy/1` (`{"modes": ["acmactivate"|"ccmactivate", …]}`).
///
/// Request: `{"op":"profile.validate","operation":"create"|"update","profile":{…}}` where the
/// profile carries Open AMT field names, the plaintext `amtPassword`/`mebxPassword` sent by the
/// caller (policies must never log them) and, on update, `amtPasswordStored`/`mebxPasswordStored`.
/// Reply: `{"profile": normalized}` (or `{}` to accept the profile unchanged), or an error body with
/// `detail: [{"field","message"}…]`.
struct ProfilePolicyClient {
    static let extensionID = "tether.profile-policy/1"
    let plugins: PluginHost

    /// The plugin governing `mode`, or nil (the first by id when several claim it).
    func policy(for mode: ActivationMode) -> LoadedPlugin? {
        plugins.plugins(contributing: Self.extensionID).first { entry in
            entry.manifest["modes"]?.arrayValue?.contains(.string(mode.rawValue)) == true
        }?.plugin
    }

    /// Validates and normalizes. Returns the normalized profile and the policy's field errors.
    /// - Throws: `.unavailable` when no policy governs `mode`; the plugin's error when it fails
    ///   other than with field errors.
    func validate(
        _ profile: [String: JSONValue], mode: ActivationMode, operation: String
    ) async throws(CommandError) -> (profile: [String: JSONValue], errors: [FieldError]) {
        guard let plugin = policy(for: mode) else {
            throw CommandError(
                .unavailable,
                "no profile policy plugin is loaded for activation mode '\(mode.rawValue)'; enable the bundled one (\(mode == .acm ? "io.tether.profile-acm" : "io.tether.profile-ccm")) or install a plugin declaring \(Self.extensionID) with this mode")
        }
        let request: JSONValue = ["op": "profile.validate", "operation": .string(operation), "profile": .object(profile)]
        do throws(CommandError) {
            let reply = try await plugins.call(pluginID: plugin.id, request: request)
            if let normalized = reply["profile"] {
                guard let object = normalized.objectValue else {
                    throw CommandError(.pluginFailure, "profile policy '\(plugin.id)' returned a profile that is not an object")
                }
                return (object, [])
            }
            return (profile, [])
        } catch where error.code == .badRequest {
            guard let items = error.detail?.arrayValue, !items.isEmpty else {
                return (profile, [FieldError(field: "activation", message: error.message)])
            }
            let errors = items.map { item in
                FieldError(
                    field: item["field"]?.stringValue ?? "profile",
                    message: item["message"]?.stringValue ?? item["msg"]?.stringValue ?? error.message)
            }
            return (profile, errors)
        }
    }
}
