import ArgumentParser
import PluginHost

@main
struct Tether: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tether",
        abstract: "Out-of-band management host for Intel AMT fleets (CIRA server + plugins).",
        version: "tether \(TetherHostVersion.current) (plugin ABI \(TetherHostVersion.abiText))",
        subcommands: [Serve.self, Plugins.self, Command.self, Cert.self, CIRAConfigCLI.self, ProfileCLI.self, DomainCLI.self, DeviceCLI.self, PowerCLI.self, AMTCLI.self, JobCLI.self, ActivationCLI.self]
    )
}
