import TetherPluginKit

/// A bundled profile policy plugin: one activation mode and its rules. Conforming plugins get the
/// `tether.profile-policy/1` manifest, request handling (`ProfilePolicyRequest`) and their entry
/// point from here; they declare only `info`, `mode`, `rules` and the (empty) initializer.
public protocol ProfilePolicyPlugin: TetherPlugin {
    /// The descriptor facts exported by the plugin's entry point.
    static var info: PluginInfo { get }
    /// The activation mode the policy governs (`acmactivate`, `ccmactivate`).
    static var mode: String { get }
    /// The mode's rules: check the profile, fill in defaults, collect errors.
    static var rules: ProfileRules { get }
}

extension ProfilePolicyPlugin {
    public var extensions: [String: JSONValue] { ProfilePolicyRequest.manifest(modes: [Self.mode]) }

    public func handle(_ request: JSONValue) async throws -> JSONValue {
        try ProfilePolicyRequest.handle(request, mode: Self.mode, rules: Self.rules)
    }

    /// The plugin's descriptor, for its `tether_plugin_entry` export (see `PluginExport.entry`).
    public static func entry(hostABI: UInt32) -> UnsafeRawPointer? {
        PluginExport.entry(hostABI: hostABI, info: info, plugin: Self.self)
    }
}
