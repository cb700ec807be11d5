import ArgumentParser
import Foundation
import PluginHost
import TetherCore

@main
struct Tether: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tether",
        abstract: "Out-of-band management host for Intel AMT fleets (CIRA server + plugins).",
        version: "tether \(TetherHostVersion.current) (plugin ABI \(TetherHostVersion.abiText))",
        subcommands: [Serve.self, Plugins.self, Command.self, Cert.self, CIRAConfigCLI.self, ProfileCLI.self, DomainCLI.self, DeviceCLI.self, PowerCLI.self, AMTCLI.self, JobCLI.self, ActivationCLI.self]
    )

    /// `tether serve` runs Swift concurrency on NIO's event loops (the threads that do the
    /// I/O), so a request no longer hops between the cooperative pool and an event loop at every
    /// step: a REST power-state read made ~22 thread switches on the default executor. Set
    /// `TETHER_EXECUTOR=dispatch` to keep Swift's default pool, `TETHER_EXECUTOR=nio` for
    /// NIO's own hook (see ``EventLoopGlobalExecutor`` for the difference). Installed before any
    /// task runs.
    static func main() async {
        let arguments = CommandLine.arguments.dropFirst()
        if arguments.first == "serve" {
            switch ProcessInfo.processInfo.environment["TETHER_EXECUTOR"] {
            case "dispatch": break
            case "nio": EventLoopGlobalExecutor.installNIOHook()
            default: EventLoopGlobalExecutor.install()
            }
        }
        await Self.main(nil)
    }
}
