import ArgumentParser
import TetherJSON

/// `tether amt …`: read-only AMT queries through the running host.
struct AMTCLI: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "amt", abstract: "Query a connected device's AMT firmware.", subcommands: [Version.self])

    /// `tether amt version <guid>` → `amt.version` (CIM_SoftwareIdentity + AMT_SetupAndConfigurationService).
    struct Version: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show the AMT firmware version and provisioning state.")

        @OptionGroup var options: HostOptions

        @Argument(help: "Device GUID.")
        var guid: String

        func run() async throws {
            print(try await CommandRunner(options: options).run("amt.version", args: ["guid": .string(guid)]).jsonString)
        }
    }
}
