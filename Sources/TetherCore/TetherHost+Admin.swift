import PluginHost

extension TetherHost {
    /// Registers `ciraconfigs.*`, `profiles.*`, `domains.*` and `devices.*` (issue 6). Filled in
    /// by the storage/admin work.
    func registerAdminCommands() {}
}

import CIRA

extension TetherHost {
    /// Registers a device that presented the credentials of a CIRA config allowing
    /// self-registration. Filled in by the storage/admin work; false = not registered.
    func selfRegistration(_ request: CIRAAuthRequest) async -> Bool { false }
}
