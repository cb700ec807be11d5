#if canImport(Glibc)
import Glibc
#endif

/// Decides whether a plugin file may be `dlopen`ed at all — before any of its code (library
/// constructors included) can run: the file (after resolving symlinks) must be a regular file,
/// and it and its directory must be owned by this process's user or by root and writable by
/// neither group nor others.
enum PluginFileTrust {
    /// Why the file at `path` must not be loaded, or nil when it may be.
    static func problem(path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return "cannot resolve the path: \(String(cString: strerror(errno)))" }
        let file = String(cString: resolved)
        free(resolved)
        var info = stat()
        guard stat(file, &info) == 0 else { return "cannot stat the file: \(String(cString: strerror(errno)))" }
        guard info.st_mode & S_IFMT == S_IFREG else { return "not a regular file" }
        if let problem = ownershipProblem(info, what: "the file") { return problem }
        let slash = file.lastIndex(of: "/").map { file[..<$0] } ?? "."
        let directory = slash.isEmpty ? "/" : String(slash)
        guard stat(directory, &info) == 0 else { return "cannot stat its directory: \(String(cString: strerror(errno)))" }
        return ownershipProblem(info, what: "its directory \(directory)")
    }

    private static func ownershipProblem(_ info: stat, what: String) -> String? {
        let me = geteuid()
        if info.st_uid != me && info.st_uid != 0 {
            return "refused: \(what) is owned by uid \(info.st_uid), not by this user (\(me)) or root"
        }
        let mode = info.st_mode & 0o777
        if mode & 0o002 != 0 { return "refused: \(what) is world-writable (mode \(String(mode, radix: 8)))" }
        if mode & 0o020 != 0 { return "refused: \(what) is group-writable (mode \(String(mode, radix: 8)))" }
        return nil
    }
}
