import Foundation

/// Runs blocking or CPU-heavy work (RSA key generation, opening the database) on a thread of its
/// own and awaits it, so that it never holds one of the cooperative pool's threads — there are as
/// many as the machine has cores (two here), and every request, deadline and tunnel needs them.
public enum BlockingWork {
    /// The result of `work`, computed on a fresh thread.
    public static func run<Value: Sendable>(_ work: @escaping @Sendable () throws -> Value) async throws -> Value {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread { continuation.resume(with: Result { try work() }) }
            thread.name = "tether-blocking-work"
            thread.start()
        }
    }
}
