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
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        if let environment { process.environment = environment }
        let stdout = Pipe(), stderr = Pipe(), stdin = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        process.standardInput = input == nil ? FileHandle.nullDevice : stdin
        try ProcessLauncher.launch(process)
        let (seconds, attoseconds) = timeout.components
        let limit = Double(seconds) + Double(attoseconds) / 1e18
        return await withCheckedContinuation { (continuation: CheckedContinuation<Output, Never>) in
            Thread {
                if let input {
                    stdin.fileHandleForWriting.write(Data(input.utf8))
                    try? stdin.fileHandleForWriting.close()
                }
                let deadline = DispatchWorkItem { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
                DispatchQueue.global().asyncAfter(deadline: .now() + limit, execute: deadline)
                // stderr is drained on its own thread so that neither pipe can fill up and stall.
                let errors = DataBox()
                let errorsDone = DispatchSemaphore(value: 0)
                Thread {
                    errors.data = stderr.fileHandleForReading.readDataToEndOfFile()
                    errorsDone.signal()
                }.start()
                let output = stdout.fileHandleForReading.readDataToEndOfFile()
                errorsDone.wait()
                process.waitUntilExit()
                deadline.cancel()
                let killed = process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGKILL
                continuation.resume(
                    returning: Output(
                        status: process.terminationStatus, stdout: String(decoding: output, as: UTF8.self),
                        stderr: String(decoding: errors.data, as: UTF8.self), timedOut: killed))
            }.start()
        }
    }
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
    // @unchecked: `collected` is guarded by `lock`; `process` is only started once.
    private let process = Process()
    private let lock = NSLock()
    private var collected = Data()
    private let exited = DispatchSemaphore(value: 0)

    public init(_ executable: String, _ arguments: [String]) throws {
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        try ProcessLauncher.launch(process)
        Thread { [self] in
            while true {
                let chunk = pipe.fileHandleForReading.availableData
                if chunk.isEmpty { break }
                lock.lock()
                collected.append(chunk)
                lock.unlock()
            }
            process.waitUntilExit()
            exited.signal()
        }.start()
    }

    public var processIdentifier: Int32 { process.processIdentifier }

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

    public func signal(_ number: Int32) { kill(process.processIdentifier, number) }

    /// Waits for the process to exit and returns its status (or the signal that ended it).
    public func waitForExit() async -> (status: Int32, reason: Process.TerminationReason) {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            Thread { [self] in
                exited.wait()
                exited.signal()
                continuation.resume()
            }.start()
        }
        return (process.terminationStatus, process.terminationReason)
    }
}
