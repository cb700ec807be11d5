import Activation
import Store

/// An activation request that passed every check, ready to run: the plan for the state
/// machine plus what the host stores once the device's credentials have changed.
struct PreparedActivation: Sendable {
    var plan: ActivationPlan
    /// Digest credentials of the first calls: the local account (`$$OsAdmin`) of a fresh
    /// device, `admin` + the current password of an activated one.
    var initialUsername: String
    var initialPassword: String
    var profile: Profile
    /// The CIRA config written, if any (its username becomes the device's MPS user).
    var ciraConfig: CIRAConfig?
    /// The per-device (or static) MPS password written into AMT.
    var mpsPassword: String?
    /// Status text RPS adds for already activated devices.
    var note: String?
}

/// Why an activation request is refused before any AMT call; `message` is the `error` text.
struct ActivationRejection: Error, Sendable {
    var message: String
    init(_ message: String) { self.message = message }
}
