import Foundation

/// Starts child processes one at a time.
///
/// swift-corelibs-foundation's `Process.run()` is not safe to call from several threads at
/// once: the test binary crashed inside it (a bad `memcpy` in `Process.run`) while two suites
/// launched `curl` and `openssl` concurrently. Every test launches through this one lock; the
/// processes themselves still run in parallel.
public enum ProcessLauncher {
    private static let lock = NSLock()

    /// Calls `process.run()` while no other test is inside it.
    public static func launch(_ process: Process) throws {
        lock.lock()
        defer { lock.unlock() }
        try process.run()
    }
}
