import ArgumentParser
import TetherJSON

/// `tether activation …`: the step logs of activations run over the host's `/activate`
/// websocket (needs the running host: the log lives in its memory).
struct ActivationCLI: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "activation", abstract: "Watch device activations (rpc-go or amtsim over /activate).",
        subcommands: [List.self, Show.self])

    /// `tether activation list [--guid G] [--limit N]` → `activations.list`.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Activations, newest first, with their step logs.")

        @OptionGroup var options: HostOptions

        @Option(help: "Only this device.")
        var guid: String?

        @Option(help: "At most this many (1–10000).")
        var limit: Int = 100

        func run() async throws {
            var args: [String: JSONValue] = ["limit": .int(Int64(limit))]
            if let guid { args["guid"] = .string(guid) }
            print(try await CommandRunner(options: options).run("activations.list", args: .object(args)).jsonString)
        }
    }

    /// `tether activation show ID` → `activations.get`.
    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "One activation and each step's result.")

        @OptionGroup var options: HostOptions

        @Argument(help: "Activation id (act-…).")
        var id: String

        func run() async throws {
            print(try await CommandRunner(options: options).run("activations.get", args: ["id": .string(id)]).jsonString)
        }
    }
}
