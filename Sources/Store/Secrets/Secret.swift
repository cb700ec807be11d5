/// A secret value (password, PFX, key material) that never prints itself.
///
/// `description`, `debugDescription`, string interpolation and `dump` all show `<redacted>`.
/// The plaintext is only reachable through ``reveal()``, so every use is explicit and greppable.
/// Values are immutable and `Sendable`.
public struct Secret: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    private let value: String

    /// Wraps a plaintext secret.
    public init(_ value: String) {
        self.value = value
    }

    /// Returns the plaintext. Call only where the secret is actually needed (e.g. to talk to AMT).
    public func reveal() -> String { value }

    /// The secret's length in characters (safe to log).
    public var count: Int { value.count }

    public var description: String { "<redacted>" }
    public var debugDescription: String { "Secret(<redacted>)" }
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}

/// How an update treats a sealed field.
public enum SecretChange: Sendable, Equatable {
    /// Leave the stored secret as it is.
    case keep
    /// Replace the stored secret.
    case set(Secret)
    /// Remove the stored secret (store NULL).
    case clear
}
