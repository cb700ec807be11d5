import Foundation

/// Runs a child process without blocking Swift's cooperative thread pool.
///
/// Tests that talk to an in-process server through a child process (curl, node, the `tether`
/// and `amtsim` executables) must not wait for it on a pool thread: the pool is as wide as the
/// machine has cores (2 here), and the in-process server needs those threads to answer. Blocking
/// reads and `waitUntilExit` therefore run on a dedicated thread, and the caller awaits them.
public enum ChildProcess {
    public struct Output: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
        /// True when the process was killed because it outlived the timeout.
        public var timedOut: Bool
    }

    /// Runs `executable` with `arguments`, feeding `input` to its stdin, and collects its output.
    /// A process still running after `timeout` is killed (SIGKILL) and reported as timed out.
    public static func run(
        _ executable: String, _ arguments: [String], input: String? = nil, environment: [String: String]? = nil,
        directory: String? = nil, timeout: Duration = .seconds(120)
    ) async throws -> Output {
        let child = try SpawnedProcess(
            executable, arguments, environment: environment, directory: directory, stdin: input == nil ? .null : .pipe)
        let (seconds, attoseconds) = timeout.components
        let limit = Double(seconds) + Double(attoseconds) / 1e18
        return await withCheckedContinuation { (continuation: CheckedContinuation<Output, Never>) in
            Thread {
                if let input, let stdin = child.standardInput {
                    stdin.write(Data(input.utf8))
                    try? stdin.close()
                }
                let killed = KilledFlag()
                let deadline = DispatchWorkItem {
                    if child.isRunning {
                        killed.set()
                        child.signal(SIGKILL)
                    }
                }
                DispatchQueue.global().asyncAfter(deadline: .now() + limit, execute: deadline)
                // stderr is drained on its own thread so that neither pipe can fill up and stall.
                let errors = DataBox()
                let errorsDone = DispatchSemaphore(value: 0)
                Thread {
                    errors.data = child.standardError?.readDataToEndOfFile() ?? Data()
                    errorsDone.signal()
                }.start()
                let output = child.standardOutput?.readDataToEndOfFile() ?? Data()
                errorsDone.wait()
                let status = child.terminationStatus
                deadline.cancel()
                continuation.resume(
                    returning: Output(
                        status: status, stdout: String(decoding: output, as: UTF8.self),
                        stderr: String(decoding: errors.data, as: UTF8.self), timedOut: killed.value))
            }.start()
        }
    }
}

/// Set once by the timeout's kill, read after the child has exited.
private final class KilledFlag: @unchecked Sendable {
    // @unchecked: guarded by `lock`.
    private let lock = NSLock()
    private var killed = false
    func set() { lock.withLock { killed = true } }
    var value: Bool { lock.withLock { killed } }
}

/// Bytes handed from a reader thread to the waiting thread (ordered by a semaphore).
private final class DataBox: @unchecked Sendable {
    var data = Data()
}

extension ChildProcess {
    /// A tool run that must succeed (a compiler, `make`, `openssl`): returns its output, or
    /// throws with the command line and everything it printed.
    @discardableResult
    public static func checked(_ executable: String, _ arguments: [String], directory: String? = nil) async throws -> String {
        let result = try await run(executable, arguments, directory: directory)
        guard result.status == 0, !result.timedOut else {
            throw Failure(description: "\(executable) \(arguments.joined(separator: " ")) failed (\(result.status)): \(result.stdout)\(result.stderr)")
        }
        return result.stdout
    }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }
}

/// A long-running child process (a server) whose output is collected in the background, so a
/// test can wait for a log line, signal it and await its exit without blocking a pool thread.
public final class BackgroundProcess: @unchecked Sendable {
    // @unchecked: `collected` is guarded by `lock`; `child` is immutable.
    private let child: SpawnedProcess
    private let lock = NSLock()
    private var collected = Data()
    /// Set once the output is read to its end and the process has exited.
    private var finished: SpawnedProcess.Termination?
    private var waiters: [CheckedContinuation<SpawnedProcess.Termination, Never>] = []

    public init(_ executable: String, _ arguments: [String]) throws {
        child = try SpawnedProcess(executable, arguments, stdin: .null, stdout: .pipe, stderr: .stdout)
        let output = child.standardOutput
        Thread { [self] in
            while let chunk = output?.availableData, !chunk.isEmpty {
                lock.lock()
                collected.append(chunk)
                lock.unlock()
            }
            let end = child.waitUntilExit()
            lock.lock()
            finished = end
            let resumed = waiters
            waiters = []
            lock.unlock()
            for waiter in resumed { waiter.resume(returning: end) }
        }.start()
    }

    public var processIdentifier: Int32 { child.processIdentifier }

    /// Everything the process wrote so far (stdout and stderr interleaved).
    public var output: String {
        lock.lock()
        defer { lock.unlock() }
        return String(decoding: collected, as: UTF8.self)
    }

    /// Waits until the output contains `text`, at most `timeout`.
    public func waitForOutput(containing text: String, timeout: Duration = .seconds(30)) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if output.contains(text) { return true }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return output.contains(text)
    }

    public func signal(_ number: Int32) { child.signal(number) }

    /// Waits for the process to exit (and its output to be read to the end) and returns its
    /// status (or the signal that ended it).
    public func waitForExit() async -> (status: Int32, reason: Process.TerminationReason) {
        let end = await withCheckedContinuation { (continuation: CheckedContinuation<SpawnedProcess.Termination, Never>) in
            lock.lock()
            if let finished {
                lock.unlock()
                continuation.resume(returning: finished)
            } else {
                waiters.append(continuation)
                lock.unlock()
            }
        }
        return switch end {
        case .exited(let status): (status, Process.TerminationReason.exit)
        case .signalled(let signal): (signal, Process.TerminationReason.uncaughtSignal)
        }
    }
}
