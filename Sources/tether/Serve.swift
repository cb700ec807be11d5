import ArgumentParser
import Dispatch
import Foundation
import TetherCore

/// `tether serve`: runs the host until SIGINT or SIGTERM, then shuts down gracefully.
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
        do {
            try await host.start(.all)
        } catch {
            host.logger.critical("cannot start: \(error.description)")
            await host.stop()
            throw ExitCode(2)
        }
        if demo {
            do {
                try await DemoSeed.apply(to: host)
            } catch {
                host.logger.error("demo set-up failed: \(error.message)")
            }
        }
        let signal = await ShutdownSignal.wait()
        host.logger.info("shutting down", metadata: ["signal": "\(signal)"])
        await host.stop()
    }
}

/// Waits for SIGINT or SIGTERM.
enum ShutdownSignal {
    static func wait() async -> String {
        await withCheckedContinuation { (continuation: CheckedContinuation<String, Never>) in
            let queue = DispatchQueue(label: "tether.signals")
            let resumed = ResumeOnce(continuation)
            var sources: [any DispatchSourceSignal] = []
            for (number, name) in [(SIGINT, "SIGINT"), (SIGTERM, "SIGTERM")] {
                signal(number, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
                source.setEventHandler { resumed.resume(name) }
                source.resume()
                sources.append(source)
            }
            SignalSources.keep(sources)
        }
    }
}

/// Keeps the signal sources alive for the life of the process.
private enum SignalSources {
    nonisolated(unsafe) static var retained: [any DispatchSourceSignal] = []
    static func keep(_ sources: [any DispatchSourceSignal]) { retained = sources }
}

private final class ResumeOnce: @unchecked Sendable {
    // @unchecked: only touched on the serial signal queue.
    private var continuation: CheckedContinuation<String, Never>?
    init(_ continuation: CheckedContinuation<String, Never>) { self.continuation = continuation }
    func resume(_ value: String) {
        continuation?.resume(returning: value)
        continuation = nil
    }
}
