import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Logging
import TetherJSON

/// The REST API's administrator account. Sources, first match wins:
/// 1. `TETHER_ADMIN_USER` / `TETHER_ADMIN_PASSWORD` in the environment;
/// 2. `adminUser` / `adminPassword` in the host's configuration;
/// 3. `admin-credentials.json` in the data directory (user, salt, PBKDF2-HMAC-SHA256 hash);
/// 4. none of these: a random password is generated, logged ONCE, and only its salted hash is
///    written (mode 0600) to `admin-credentials.json`.
/// Plain-text passwords from 1 and 2 are kept only as a salted hash in memory. Thread-safe.
struct AdminCredentials: Sendable {
    static let fileName = "admin-credentials.json"
    static let iterations = 10_000

    let username: String
    private let salt: [UInt8]
    private let hash: [UInt8]
    private let iterations: Int
    /// Stable across restarts while the account is unchanged; see `generation(secret:)`.
    private let generationSeed: [UInt8]

    private init(username: String, salt: [UInt8], hash: [UInt8], iterations: Int, generationSeed: [UInt8]? = nil) {
        self.username = username
        self.salt = salt
        self.hash = hash
        self.iterations = iterations
        self.generationSeed = generationSeed ?? (Array(username.lowercased().utf8) + [0] + salt + hash)
    }

    /// The credential generation tokens are bound to: a keyed hash of the account (changes when
    /// the user name or password changes; reveals nothing about the password).
    func generation(secret: [UInt8]) -> String {
        let mac = SHA256Digest.hmac(key: secret, message: Array("tether-credential-generation".utf8) + [0] + generationSeed)
        return Base64URL.encode(Array(mac.prefix(12)))
    }

    /// Wraps a clear-text password (hashed at once).
    static func hashing(username: String, password: String) throws(ConfigurationError) -> AdminCredentials {
        let salt = try SHA256Digest.randomBytes(16)
        // The salt is random per start; the generation must not be, so it derives from the
        // account itself (through a fixed-salt PBKDF2, never kept in clear).
        let seed = SHA256Digest.pbkdf2(
            password: Array(password.utf8), salt: Array("tether-generation|\(username.lowercased())".utf8), iterations: iterations)
        return AdminCredentials(
            username: username, salt: salt,
            hash: SHA256Digest.pbkdf2(password: Array(password.utf8), salt: salt, iterations: iterations),
            iterations: iterations, generationSeed: Array(username.lowercased().utf8) + [0] + seed)
    }

    /// True when `username` (case-insensitive, as MPS) and `password` match.
    func matches(username: String, password: String) -> Bool {
        let candidate = SHA256Digest.pbkdf2(password: Array(password.utf8), salt: salt, iterations: iterations)
        let passwordOK = ConstantTime.equal(candidate, hash)
        return passwordOK && username.lowercased() == self.username.lowercased()
    }

    /// Resolves the account as described on the type.
    static func resolve(
        environment: [String: String], configured: (user: String?, password: String?), dataDirectory: URL, logger: Logger
    ) throws(ConfigurationError) -> AdminCredentials {
        if let password = environment["TETHER_ADMIN_PASSWORD"], !password.isEmpty {
            return try hashing(username: environment["TETHER_ADMIN_USER"] ?? "admin", password: password)
        }
        if let password = configured.password, !password.isEmpty {
            return try hashing(username: configured.user ?? "admin", password: password)
        }
        let file = dataDirectory.appendingPathComponent(fileName)
        if let data = FileManager.default.contents(atPath: file.path) {
            guard let json = try? JSONValue(parsing: Array(data)), let user = json["username"]?.stringValue,
                let salt = json["salt"]?.stringValue.flatMap({ Data(base64Encoded: $0) }),
                let hash = json["hash"]?.stringValue.flatMap({ Data(base64Encoded: $0) }),
                let iterations = json["iterations"]?.intValue, iterations > 0
            else { throw ConfigurationError("\(file.path) is not a valid admin credentials file; delete it to regenerate") }
            return AdminCredentials(username: user, salt: Array(salt), hash: Array(hash), iterations: iterations)
        }
        let alphabet = Array("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789")
        let password = String(try SHA256Digest.randomBytes(20).map { alphabet[Int($0) % alphabet.count] })
        let credentials = try hashing(username: "admin", password: password)
        let record: JSONValue = [
            "username": .string(credentials.username), "salt": .string(Data(credentials.salt).base64EncodedString()),
            "hash": .string(Data(credentials.hash).base64EncodedString()), "iterations": .number(credentials.iterations),
            "algorithm": "PBKDF2-HMAC-SHA256",
        ]
        try PrivateFile.create(atPath: file.path, contents: record.encodedBytes())
        // Shown once, by design: only the salted hash is kept.
        logger.notice(
            "generated the REST API administrator password (shown only now; set TETHER_ADMIN_PASSWORD to choose one)",
            metadata: ["user": "admin", "password": "\(password)", "hashFile": "\(file.path)"])
        return credentials
    }
}

/// Secret files the host writes (admin credentials, token key): created with `O_CREAT|O_EXCL` and
/// mode 0600, so they never exist, even briefly, with the umask's (group/world-readable) mode —
/// `FileManager.createFile(attributes:)` writes a 0666&~umask file, renames it into place and
/// only then chmods it.
enum PrivateFile {
    static func create(atPath path: String, contents: [UInt8]) throws(ConfigurationError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw ConfigurationError("cannot write \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var written = 0
        while written < contents.count {
            let n = contents.withUnsafeBytes { raw in write(fd, raw.baseAddress! + written, contents.count - written) }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else {
                let reason = String(cString: strerror(errno))
                unlink(path)
                throw ConfigurationError("cannot write \(path): \(reason)")
            }
            written += n
        }
        guard fsync(fd) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(path)
            throw ConfigurationError("cannot write \(path): fsync: \(reason)")
        }
    }
}
