import COpenSSL

/// Helpers for OpenSSL's thread-local error queue. Call ``clear()`` before every OpenSSL
/// operation whose failure you will report, then ``drain(fallback:)`` right after it fails,
/// on the same thread.
enum OpenSSLErrorQueue {
    /// Empties the calling thread's error queue.
    static func clear() {
        ERR_clear_error()
    }

    /// Pops every queued error and joins their strings with "; ".
    /// Returns `fallback` when the queue is empty.
    static func drain(fallback: String) -> String {
        var messages: [String] = []
        while true {
            let code = ERR_get_error()
            if code == 0 { break }
            var buffer = [CChar](repeating: 0, count: 256)
            buffer.withUnsafeMutableBufferPointer { ptr in
                ERR_error_string_n(code, ptr.baseAddress, ptr.count)
            }
            let text = buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
            messages.append(text)
        }
        return messages.isEmpty ? fallback : messages.joined(separator: "; ")
    }
}
