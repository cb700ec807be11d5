import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import TetherCore
import UnixSignals

/// `tether serve`: runs the host as a service group until SIGINT or SIGTERM, then shuts down
/// gracefully (see ``ShutdownSignals``).
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the host until SIGINT/SIGTERM.")

    @OptionGroup var options: HostOptions

    @Flag(help: "Demo mode: CIRA config 'demo' (user standalone) that lets devices register themselves, a CCM profile with a known AMT password, common name 127.0.0.1 unless given. See README \"Demo\".")
    var demo = false

    func run() async throws {
        var configuration = try options.resolve()
        if demo && options.commonName == nil && ProcessInfo.processInfo.environment["TETHER_COMMON_NAME"] == nil {
            configuration.commonName = "127.0.0.1"
        }
        let host = TetherHost(configuration: configuration, logger: options.makeLogger(configuration))
        // Trapped before anything starts, so a signal during start-up is a graceful shutdown too.
        let trapped = await UnixSignalsSequence(trapping: .sigterm, .sigint)
        do {
            try await host.start(.all)
        } catch {
            host.logger.critical("cannot start", metadata: ["error": "\(error.description)"])
            await host.stop()
            throw ExitCode(2)
        }
        if demo {
            do {
                try await DemoSeed.apply(to: host)
            } catch {
                host.logger.error("demo set-up failed", metadata: ["error": "\(error.message)"])
            }
        }
        let group = host.serviceGroup()
        let signals = Task { await ShutdownSignals.watch(trapped, group: group, logger: host.logger) }
        defer { signals.cancel() }
        do {
            try await group.run()
        } catch {
            host.logger.critical("the host stopped on an error", metadata: ["error": "\(error)"])
            await host.stop()
            throw ExitCode(1)
        }
    }
}

/// SIGTERM/SIGINT handling of `tether serve`: the first signal starts the graceful shutdown of the
/// host's service group (stop accepting, drain, flush, destroy plugins, exit 0); a second one
/// while that runs stops the process at once (exit status 128 + the signal number).
enum ShutdownSignals {
    static func watch(_ signals: UnixSignalsSequence, group: ServiceGroup, logger: Logger) async {
        var received = 0
        for await signal in signals {
            received += 1
            if received == 1 {
                logger.info("shutting down", metadata: ["signal": "\(signal)"])
                await group.triggerGracefulShutdown()
            } else {
                logger.critical("second signal during shutdown: stopping now", metadata: ["signal": "\(signal)"])
                _exit(128 + signal.rawValue)
            }
        }
    }
}
