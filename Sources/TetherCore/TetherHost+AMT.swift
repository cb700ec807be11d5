import PluginHost

extension TetherHost {
    /// Registers `wsman.invoke`, `amt.*`, `power.*` (issue 5). Filled in by the power-actions work.
    func registerAMTCommands() {}
}
