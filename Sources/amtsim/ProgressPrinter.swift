import AMTSimulator
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Live fleet progress on stderr: one updating line on a terminal, a line every 5 s otherwise.
final class ProgressPrinter: @unchecked Sendable {
    // @unchecked: `task` is only touched by start/stop on the main flow.
    private let fleet: SimulatedFleet
    private var task: Task<Void, Never>?

    init(fleet: SimulatedFleet) { self.fleet = fleet }

    func start() {
        let fleet = self.fleet
        let terminal = isatty(STDERR_FILENO) == 1
        task = Task {
            var last = ""
            while !Task.isCancelled {
                let line = fleet.progress.description
                if terminal {
                    FileHandle.standardError.write(Data("\r\u{1B}[K\(line)".utf8))
                } else if line != last {
                    FileHandle.standardError.write(Data("\(line)\n".utf8))
                }
                last = line
                try? await Task.sleep(for: terminal ? .milliseconds(250) : .seconds(5))
            }
            if terminal { FileHandle.standardError.write(Data("\n".utf8)) }
        }
    }

    func stop() {
        task?.cancel()
    }
}

/// Waits for SIGINT/SIGTERM or the optional duration.
enum StopSignal {
    /// Returns the reason: `SIGINT`, `SIGTERM`, `duration`, or the reason `until` gives once it
    /// gives one (polled every 100 ms).
    static func wait(duration: Double?, until: (@Sendable () -> String?)? = nil) async -> String {
        await withCheckedContinuation { (continuation: CheckedContinuation<String, Never>) in
            let once = Once(continuation)
            let queue = DispatchQueue(label: "amtsim.signals")
            for (number, name) in [(SIGINT, "SIGINT"), (SIGTERM, "SIGTERM")] {
                signal(number, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
                source.setEventHandler { once.resume(name) }
                source.resume()
                Retained.sources.append(source)
            }
            if let duration {
                queue.asyncAfter(deadline: .now() + duration) { once.resume("duration") }
            }
            if let until {
                @Sendable func poll() {
                    if let reason = until() { once.resume(reason) } else { queue.asyncAfter(deadline: .now() + 0.1, execute: poll) }
                }
                queue.async(execute: poll)
            }
        }
    }

    private enum Retained {
        nonisolated(unsafe) static var sources: [any DispatchSourceSignal] = []
    }

    private final class Once: @unchecked Sendable {
        // @unchecked: only used on the serial signal queue.
        private var continuation: CheckedContinuation<String, Never>?
        init(_ continuation: CheckedContinuation<String, Never>) { self.continuation = continuation }
        func resume(_ value: String) {
            continuation?.resume(returning: value)
            continuation = nil
        }
    }
}
