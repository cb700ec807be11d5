import ArgumentParser
import Foundation
import PluginHost
import TetherCore
import TetherJSON

/// `tether plugins …`
struct Plugins: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Inspect plugins.", subcommands: [List.self], defaultSubcommand: List.self)

    /// `tether plugins list`: loads every configured plugin in this process and reports on it.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List plugins: id, version, ABI, contributions, path, and why any were refused.")

        @OptionGroup var options: HostOptions

        @Flag(name: .long, help: "Print JSON instead of a table.")
        var json = false

        func run() async throws {
            let configuration = try options.resolve()
            var quiet = configuration
            if !json { quiet.logLevel = "critical" }
            let host = TetherHost(configuration: quiet, logger: options.makeLogger(quiet))
            try? await host.start([])
            let records = host.plugins.records()
            if json {
                print(JSONValue.object(["plugins": .array(records.map(\.json))]).jsonString)
            } else {
                print(PluginTable.render(records))
            }
            await host.stop()
        }
    }
}

/// Renders plugin records for people.
enum PluginTable {
    static func render(_ records: [PluginRecord]) -> String {
        guard !records.isEmpty else { return "no plugins found" }
        var lines: [String] = []
        for record in records {
            let head = [record.id ?? "?", record.version ?? "-", "abi " + (record.abi ?? "-"), record.status.rawValue]
            lines.append(head.joined(separator: "  "))
            lines.append("    path: \(record.path)")
            if !record.contributions.isEmpty {
                lines.append("    contributes: \(record.contributions.keys.sorted().joined(separator: ", "))")
            }
            if let reason = record.reason { lines.append("    reason: \(reason)") }
        }
        return lines.joined(separator: "\n")
    }
}
