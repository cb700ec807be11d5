import ArgumentParser
import TetherJSON

/// Shared plumbing of `tether ciraconfig|profile|domain|device`: builds the command's JSON
/// arguments from options named like the Open AMT JSON fields and prints the JSON result.
enum AdminCLI {
    /// Runs `name` and prints its result as JSON. Validation failures surface as `error: …` with
    /// every field message.
    static func run(_ options: HostOptions, _ name: String, _ args: [String: JSONValue?]) async throws {
        let members = args.compactMapValues { $0 }
        let result = try await CommandRunner(options: options).run(name, args: .object(members))
        print(result.jsonString)
    }

    static func string(_ value: String?) -> JSONValue? { value.map(JSONValue.string) }
    static func int(_ value: Int?) -> JSONValue? { value.map(JSONValue.number) }
    static func bool(_ value: Bool?) -> JSONValue? { value.map(JSONValue.bool) }
    static func list(_ values: [String]) -> JSONValue? { values.isEmpty ? nil : .array(values.map(JSONValue.string)) }
}

/// `--$top`, `--$skip` for the list subcommands.
struct ListOptions: ParsableArguments {
    @Option(name: .customLong("top"), help: "At most this many items ($top, default 25).")
    var top: Int?

    @Option(name: .customLong("skip"), help: "Skip this many items ($skip).")
    var skip: Int?

    var args: [String: JSONValue?] {
        ["$top": AdminCLI.int(top), "$skip": AdminCLI.int(skip), "$count": true]
    }
}
