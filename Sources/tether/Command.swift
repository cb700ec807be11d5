import ArgumentParser
import Foundation
import TetherCore
import TetherJSON

/// `tether command NAME [ARGS-JSON]`: runs one host command in a local host instance.
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
        var configuration = try options.resolve()
        if options.logLevel == nil { configuration.logLevel = "warning" }
        let host = TetherHost(configuration: configuration, logger: options.makeLogger(configuration))
        try? host.start()
        defer { }
        do {
            let result = try await host.bus.run(name, args: args)
            print(result.jsonString)
            await host.stop()
        } catch {
            await host.stop()
            FileHandle.standardError.write(Data("error: \(error.message)\n".utf8))
            throw ExitCode(1)
        }
    }
}
