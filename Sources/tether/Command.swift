import ArgumentParser
import Foundation
import TetherCore
import TetherJSON

/// `tether command NAME [ARGS-JSON]`: runs one host command — on the running host through its
/// control socket when one is up, otherwise in a local host instance (store-only commands).
struct Command: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "command", abstract: "Run a host command (see 'tether command host.commands').")

    @OptionGroup var options: HostOptions

    @Argument(help: "Command name, e.g. host.commands.")
    var name: String

    @Argument(help: "Arguments as a JSON object.")
    var arguments: String = "{}"

    func run() async throws {
        let args: JSONValue
        do {
            args = try JSONValue(parsing: arguments)
        } catch {
            throw ValidationError("arguments: \(error.description)")
        }
        let result = try await CommandRunner(options: options).run(name, args: args)
        print(result.jsonString)
    }
}

/// Runs commands for CLI subcommands, preferring the running host.
struct CommandRunner {
    let options: HostOptions

    func run(_ name: String, args: JSONValue) async throws -> JSONValue {
        var configuration = try options.resolve()
        if options.logLevel == nil { configuration.logLevel = "warning" }
        let socket = configuration.dataDirectory + "/tether.sock"
        if FileManager.default.fileExists(atPath: socket) {
            do {
                let timeout = ProcessInfo.processInfo.environment["TETHER_CONTROL_TIMEOUT"].flatMap(Int.init) ?? 300
                let reply = try ControlClient.send(
                    path: socket, request: ["command": .string(name), "args": args], timeoutSeconds: max(1, timeout))
                if reply["ok"]?.boolValue == true { return reply["result"] ?? .null }
                throw CLIError(reply["error"]?["error"]?.stringValue ?? "command failed")
            } catch is ControlClient.Unavailable {
                // No host behind the socket file: run locally below.
            } catch let error as ControlClient.NoAnswer {
                throw CLIError(error.description)  // it may have run: never repeat it locally
            }
        }
        let host = TetherHost(configuration: configuration, logger: options.makeLogger(configuration))
        do {
            try await host.start([.store])
        } catch {
            throw CLIError(error.description)
        }
        do {
            let result = try await host.bus.run(name, args: args)
            await host.stop()
            return result
        } catch {
            await host.stop()
            throw CLIError(error.message)
        }
    }
}

/// A failure printed as `error: …` with exit status 1.
struct CLIError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
