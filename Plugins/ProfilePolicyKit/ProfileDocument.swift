import TetherPluginKit

/// A profile under validation (Open AMT field names) with the helpers every mode's rules use.
public struct ProfileDocument: Sendable {
    public enum Operation: Sendable { case create, update }

    public var members: [String: JSONValue]
    public let operation: Operation

    public init(members: [String: JSONValue], operation: Operation) {
        self.members = members
        self.operation = operation
    }

    public subscript(key: String) -> JSONValue? {
        get { members[key] }
        set { members[key] = newValue }
    }

    /// A non-null string member.
    public func string(_ key: String) -> String? { members[key]?.stringValue }

    /// True when the member is the boolean `true`.
    public func isTrue(_ key: String) -> Bool { members[key]?.boolValue == true }

    /// True when the member is missing or null.
    public func isUnset(_ key: String) -> Bool { members[key] == nil || members[key] == .null }

    /// Whether the profile will have an AMT password: a new one, a random one, or one already stored.
    public var hasAMTPassword: Bool {
        string("amtPassword") != nil || isTrue("generateRandomPassword") || isTrue("amtPasswordStored")
    }

    /// Sets `key` to `value` when it is missing or null (create only: RPS does not re-apply
    /// defaults on update).
    public mutating func defaultValue(_ key: String, _ value: JSONValue) {
        if operation == .create, isUnset(key) { members[key] = value }
    }

    /// Redirection defaults of RPS: KVM on, SOL and IDER off.
    public mutating func applyRedirectionDefaults() {
        defaultValue("kvmEnabled", true)
        defaultValue("solEnabled", false)
        defaultValue("iderEnabled", false)
    }

    /// User consent values AMT knows.
    public static let consentValues: Set<String> = ["None", "KVM", "All"]
    public static let consentMessage = "User consent must be one of None,All,KVM"
}
