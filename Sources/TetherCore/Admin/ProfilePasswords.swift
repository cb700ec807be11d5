import Store

extension TetherHost {
    /// The AMT and MEBx passwords a device activated with `profileName` gets: the profile's sealed
    /// static passwords, or fresh ones from `PasswordRules.generate` where the profile asks for random
    /// passwords (a new pair per call, i.e. per device). MEBx is nil for CCM. For the activation flow
    /// only; never return these from a command.
    /// - Throws: `StoreError.notFound`, `PasswordRules.GenerationError`, `SecretError`.
    public func activationPasswords(profileName: String, tenantId: String = "") async throws -> (amt: Secret, mebx: Secret?) {
        let store = try adminStore()
        let profile = try await store.profiles.get(profileName: profileName, tenantId: tenantId)
        let secrets = try await store.profiles.secrets(profileName: profile.profileName, tenantId: tenantId)
        let amt = try secrets.amtPassword ?? Secret(PasswordRules.generate())
        guard profile.activation == .acm else { return (amt, nil) }
        let mebx = try secrets.mebxPassword ?? Secret(PasswordRules.generate())
        return (amt, mebx)
    }
}
