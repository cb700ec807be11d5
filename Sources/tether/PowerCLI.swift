import ArgumentParser
import TetherJSON

/// `tether power …`: power actions and power state, through the running host.
struct PowerCLI: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "power",
        abstract: "Run a power action on a connected device, show its power state, list the actions.",
        discussion: "tether power <guid> <action>   (action: code or name, e.g. 8, power-off, reset-to-bios)",
        subcommands: [Action.self, State.self, List.self], defaultSubcommand: Action.self)

    /// `tether power <guid> <action> [--use-sol]` → `power.action`.
    struct Action: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "action", abstract: "Run a power action (code or name; see 'tether power list').")

        @OptionGroup var options: HostOptions

        @Argument(help: "Device GUID.")
        var guid: String

        @Argument(help: "Action code (e.g. 10) or name (e.g. reset).")
        var action: String

        @Flag(name: .long, help: "Redirect the console to SOL for boot actions.")
        var useSOL = false

        func run() async throws {
            let action: JSONValue = Int(action).map { .number($0) } ?? .string(action)
            let result = try await CommandRunner(options: options).run(
                "power.action", args: ["guid": .string(guid), "action": action, "useSOL": .bool(useSOL)])
            print(result.jsonString)
        }
    }

    /// `tether power state <guid>` → `amt.power.state`.
    struct State: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a device's DMTF power state (2 on, 8 off, …).")

        @OptionGroup var options: HostOptions

        @Argument(help: "Device GUID.")
        var guid: String

        func run() async throws {
            print(try await CommandRunner(options: options).run("amt.power.state", args: ["guid": .string(guid)]).jsonString)
        }
    }

    /// `tether power list` → `power.actions`.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the power actions plugins contribute.")

        @OptionGroup var options: HostOptions

        func run() async throws {
            let result = try await CommandRunner(options: options).run("power.actions", args: [:])
            for action in result["actions"]?.arrayValue ?? [] {
                let code = action["code"]?.intValue ?? 0
                let name = action["name"]?.stringValue ?? ""
                let plugin = action["plugin"]?.stringValue ?? ""
                print("\(String(code).padding(toLength: 5, withPad: " ", startingAt: 0)) "
                      + "\(name.padding(toLength: 26, withPad: " ", startingAt: 0)) \(plugin)")
            }
            for conflict in result["conflicts"]?.arrayValue ?? [] {
                print("warning: \(conflict.stringValue ?? "")")
            }
        }
    }
}
