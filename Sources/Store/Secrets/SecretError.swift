/// Errors from the secret key file and from sealing/opening secrets. Never carries plaintext.
public enum SecretError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The key file exists but cannot be used (wrong length, unreadable). It is never overwritten.
    case keyFileCorrupt(path: String, reason: String)
    /// The key file is readable by group or others.
    case keyFileInsecure(path: String, mode: UInt16)
    /// The key file could not be created.
    case keyFileCreationFailed(path: String, reason: String)
    /// The sealed blob was modified, truncated, or sealed under another key or context.
    case tampered
    /// The sealed blob has a format version this build does not know.
    case unsupportedFormat(version: UInt8)
    /// OpenSSL failed unexpectedly.
    case crypto(String)

    /// A user-facing message.
    public var message: String {
        switch self {
        case let .keyFileCorrupt(path, reason):
            return "Secret key file \(path) is unusable (\(reason)). Restore it from backup; it was not modified. Without the original key, stored secrets cannot be read."
        case let .keyFileInsecure(path, mode):
            return "Secret key file \(path) has permissions \(String(mode, radix: 8)); it must not be accessible by group or others (chmod 600)."
        case let .keyFileCreationFailed(path, reason):
            return "Could not create secret key file \(path): \(reason)"
        case .tampered:
            return "A stored secret failed its integrity check (modified data or wrong key)."
        case let .unsupportedFormat(version):
            return "A stored secret uses unknown format version \(version)."
        case let .crypto(text):
            return "Cryptographic operation failed: \(text)"
        }
    }

    public var description: String { message }
}
