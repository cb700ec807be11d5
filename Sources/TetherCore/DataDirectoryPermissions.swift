import Foundation
import Logging
#if canImport(Glibc)
import Glibc
#endif

/// Tightens the data directory and the host's secret files: the directory becomes 0700 and
/// `secret.key`, `http-token.key`, `admin-credentials.json` and the revocation list 0600 when
/// they are group/world-accessible, each fix logged as a warning. Files owned by another user
/// are reported (not changed).
enum DataDirectoryPermissions {
    static let secretFiles = ["secret.key", "http-token.key", "admin-credentials.json", "http-token-revocations.json"]

    /// Returns the warnings it logged (tests).
    @discardableResult
    static func check(_ directory: URL, logger: Logger) -> [String] {
        var warnings: [String] = []
        tighten(directory.path, to: 0o700, warnings: &warnings)
        for name in secretFiles {
            tighten(directory.appendingPathComponent(name).path, to: 0o600, warnings: &warnings)
        }
        for warning in warnings { logger.warning("\(warning)") }
        return warnings
    }

    private static func tighten(_ path: String, to mode: mode_t, warnings: inout [String]) {
        var info = stat()
        guard lstat(path, &info) == 0 else { return }
        if info.st_uid != geteuid() {
            warnings.append("\(path) is owned by uid \(info.st_uid), not by this process's user \(geteuid())")
            return
        }
        let current = info.st_mode & 0o777
        guard current & 0o077 != 0 else { return }
        if chmod(path, mode) == 0 {
            warnings.append("\(path) was accessible to group/others (mode \(String(current, radix: 8))); changed to \(String(mode, radix: 8))")
        } else {
            warnings.append("\(path) is accessible to group/others (mode \(String(current, radix: 8))) and cannot be changed")
        }
    }
}
