import Foundation

/// Starts child processes one at a time.
///
/// swift-corelibs-foundation's `Process.run()` is not safe to call from several threads at
/// once: the test binary crashed inside it (a bad `memcpy` in `Process.run`) while two suites
/// launched `curl` and `openssl` concurrently. Every test launches through this one lock; the
/// processes themselves still run in parallel.
public enum ProcessLauncher {
    private static let lock = NSLock()

    /// Calls `process.run()` while no other test is inside it. A process without an explicit
    /// environment gets a copy of this one's, so that Foundation spawns it from its own
    /// buffers instead of reading the live `environ` (which another thread may be changing).
    public static func launch(_ process: Process) throws {
        lock.lock()
        defer { lock.unlock() }
        if process.environment == nil { process.environment = ProcessInfo.processInfo.environment }
        try process.run()
    }
}
