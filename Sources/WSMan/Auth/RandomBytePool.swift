import COpenSSL
import Synchronization

/// Cryptographically random bytes from OpenSSL's DRBG, drawn 4 KiB at a time. OpenSSL 3's
/// `RAND_bytes` makes a `getpid` system call on every call (its fork check), so a fresh digest
/// cnonce per WS-Man request cost one system call per request; drawn in batches, one per 512
/// cnonces. Tether never forks (child processes are started with `posix_spawn`), so no batch is
/// ever shared with another process. Thread-safe.
enum RandomBytePool {
    private static let batchSize = 4096
    private static let state = Mutex<(bytes: [UInt8], used: Int)>(([], batchSize))

    /// `count` random bytes (at most a batch).
    static func bytes(_ count: Int) -> [UInt8] {
        precondition(count >= 0 && count <= batchSize, "RandomBytePool serves at most \(batchSize) bytes at a time")
        return state.withLock { state in
            if state.bytes.count < batchSize { state.bytes = [UInt8](repeating: 0, count: batchSize) }
            if batchSize - state.used < count {
                let ok = state.bytes.withUnsafeMutableBufferPointer { RAND_bytes($0.baseAddress, Int32(batchSize)) }
                precondition(ok == 1, "OpenSSL RAND_bytes failed")
                state.used = 0
            }
            defer { state.used += count }
            return Array(state.bytes[state.used..<state.used + count])
        }
    }
}
