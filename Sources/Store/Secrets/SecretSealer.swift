import COpenSSL
import TetherTLS
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Seals secrets with AES-256-GCM under a 32-byte key kept in a key file.
///
/// Sealed format (stored as a BLOB): `0x01 ‖ nonce (12 bytes) ‖ ciphertext ‖ tag (16 bytes)`.
/// A fresh random nonce is drawn for every seal. A `context` string (e.g. `"devices.amt_password"`)
/// is bound as additional authenticated data, so a blob copied into another column fails to open.
///
/// Immutable after creation and safe to share between threads.
public final class SecretSealer: Sendable {
    /// The current sealed-format version byte.
    public static let formatVersion: UInt8 = 1
    /// Key length in bytes (AES-256).
    public static let keyLength = 32
    static let nonceLength = 12
    static let tagLength = 16
    /// The key file's name inside the data directory.
    public static let keyFileName = "secret.key"

    private let key: [UInt8]

    /// Creates a sealer with an explicit key (tests, key rotation tools).
    /// - Throws: `SecretError.keyFileCorrupt` if the key is not 32 bytes.
    public init(key: [UInt8]) throws {
        guard key.count == Self.keyLength else {
            throw SecretError.keyFileCorrupt(path: "<memory>", reason: "key must be \(Self.keyLength) bytes, got \(key.count)")
        }
        self.key = key
    }

    /// Loads `<directory>/secret.key`, creating it (32 random bytes, mode 0600) if it does not exist.
    ///
    /// Creation is atomic: the key is written and fsynced to a temporary file created with
    /// `O_CREAT|O_EXCL`, then hard-linked into place (which fails rather than replace an existing
    /// file). An existing key file is never modified: if it is unreadable, has the wrong length or
    /// is accessible by group/others, a typed `SecretError` is thrown.
    public static func loadOrCreate(in directory: URL) throws -> SecretSealer {
        let path = directory.appendingPathComponent(keyFileName).path
        if let existing = try readKeyFile(path: path) {
            return try SecretSealer(key: existing)
        }
        try createKeyFile(path: path, directory: directory.path)
        guard let created = try readKeyFile(path: path) else {
            throw SecretError.keyFileCreationFailed(path: path, reason: "file vanished after creation")
        }
        return try SecretSealer(key: created)
    }

    /// Returns the key bytes, or nil if the file does not exist.
    private static func readKeyFile(path: String) throws -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            let err = errno
            if err == ENOENT { return nil }
            throw SecretError.keyFileCorrupt(path: path, reason: "cannot open: \(String(cString: strerror(err)))")
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            throw SecretError.keyFileCorrupt(path: path, reason: "cannot stat: \(String(cString: strerror(errno)))")
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw SecretError.keyFileCorrupt(path: path, reason: "not a regular file")
        }
        let permissions = UInt16(info.st_mode & 0o777)
        if permissions & 0o077 != 0 {
            throw SecretError.keyFileInsecure(path: path, mode: permissions)
        }
        guard info.st_size == keyLength else {
            throw SecretError.keyFileCorrupt(path: path, reason: "expected \(keyLength) bytes, found \(info.st_size)")
        }
        var buffer = [UInt8](repeating: 0, count: keyLength + 1)
        var total = 0
        while total < buffer.count {
            let n = buffer.withUnsafeMutableBytes { raw in
                read(fd, raw.baseAddress! + total, raw.count - total)
            }
            if n < 0 {
                if errno == EINTR { continue }
                throw SecretError.keyFileCorrupt(path: path, reason: "cannot read: \(String(cString: strerror(errno)))")
            }
            if n == 0 { break }
            total += n
        }
        guard total == keyLength else {
            throw SecretError.keyFileCorrupt(path: path, reason: "expected \(keyLength) bytes, read \(total)")
        }
        return Array(buffer.prefix(keyLength))
    }

    private static func createKeyFile(path: String, directory: String) throws {
        var key = [UInt8](repeating: 0, count: keyLength)
        defer { key.withUnsafeMutableBytes { OPENSSL_cleanse($0.baseAddress, $0.count) } }
        guard RAND_bytes(&key, Int32(keyLength)) == 1 else {
            throw SecretError.crypto("RAND_bytes failed")
        }
        let tempPath = path + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = open(tempPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw SecretError.keyFileCreationFailed(path: path, reason: String(cString: strerror(errno)))
        }
        defer { unlink(tempPath) }
        var written = 0
        while written < keyLength {
            let n = key.withUnsafeBytes { raw in write(fd, raw.baseAddress! + written, keyLength - written) }
            if n < 0 {
                if errno == EINTR { continue }
                let reason = String(cString: strerror(errno))
                close(fd)
                throw SecretError.keyFileCreationFailed(path: path, reason: reason)
            }
            written += n
        }
        guard fsync(fd) == 0 else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw SecretError.keyFileCreationFailed(path: path, reason: "fsync: \(reason)")
        }
        close(fd)
        // link() never replaces an existing file: if another process won the race, use its key.
        if link(tempPath, path) != 0 && errno != EEXIST {
            throw SecretError.keyFileCreationFailed(path: path, reason: String(cString: strerror(errno)))
        }
        let dirfd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dirfd >= 0 {
            _ = fsync(dirfd)
            close(dirfd)
        }
    }

    /// Seals `plaintext` under the key, binding `context` as additional authenticated data.
    /// Format 1: version byte ‖ 12-byte random nonce ‖ AES-256-GCM ciphertext ‖ 16-byte tag.
    public func seal(_ plaintext: Data, context: String) throws -> Data {
        var nonce = [UInt8](repeating: 0, count: Self.nonceLength)
        guard RAND_bytes(&nonce, Int32(Self.nonceLength)) == 1 else {
            throw SecretError.crypto("RAND_bytes failed")
        }
        guard let cipher = GCMContext(cipher: .aes256, key: key, encrypt: true) else { throw SecretError.crypto("AES-GCM init failed") }
        let input = [UInt8](plaintext)
        var sealed = [UInt8](repeating: 0, count: input.count + Self.tagLength)
        let ok = input.withUnsafeBytes { input in
            sealed.withUnsafeMutableBytes { out in
                cipher.seal(nonce: nonce, additional: Array(context.utf8), plaintext: input, into: out)
            }
        }
        guard ok else { throw SecretError.crypto("AES-GCM encrypt failed") }
        return Data([Self.formatVersion] + nonce + sealed)
    }

    /// Unseals a blob made by ``seal(_:context:)`` with the same `context`.
    /// - Throws: `SecretError.tampered` if the blob, context or key do not match;
    ///   `SecretError.unsupportedFormat` for an unknown version byte.
    public func unseal(_ sealed: Data, context: String) throws -> Data {
        let bytes = [UInt8](sealed)
        guard let version = bytes.first else { throw SecretError.tampered }
        guard version == Self.formatVersion else { throw SecretError.unsupportedFormat(version: version) }
        guard bytes.count >= 1 + Self.nonceLength + Self.tagLength else { throw SecretError.tampered }
        let nonce = Array(bytes[1..<(1 + Self.nonceLength)])
        let ciphertext = Array(bytes[(1 + Self.nonceLength)..<(bytes.count - Self.tagLength)])
        let tag = Array(bytes[(bytes.count - Self.tagLength)...])
        guard let cipher = GCMContext(cipher: .aes256, key: key, encrypt: false) else { throw SecretError.crypto("AES-GCM init failed") }
        // One spare byte: `open` needs an output address even for an empty secret.
        var plaintext = [UInt8](repeating: 0, count: ciphertext.count + 1)
        let authentic = ciphertext.withUnsafeBytes { ciphertext in
            tag.withUnsafeBytes { tag in
                plaintext.withUnsafeMutableBytes { out in
                    cipher.open(nonce: nonce, additional: Array(context.utf8), ciphertext: ciphertext, tag: tag, into: out)
                }
            }
        }
        guard authentic else { throw SecretError.tampered }
        return Data(plaintext.prefix(ciphertext.count))
    }

    /// Seals a `Secret` (UTF-8).
    public func seal(_ secret: Secret, context: String) throws -> Data {
        try seal(Data(secret.reveal().utf8), context: context)
    }

    /// Unseals a blob into a `Secret`.
    /// - Throws: `SecretError.tampered` also when the plaintext is not UTF-8.
    public func unsealSecret(_ sealed: Data, context: String) throws -> Secret {
        let data = try unseal(sealed, context: context)
        guard let text = String(data: data, encoding: .utf8) else { throw SecretError.tampered }
        return Secret(text)
    }
}
