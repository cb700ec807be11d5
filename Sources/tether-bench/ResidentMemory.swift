import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// What /proc says about a process: resident memory, CPU time, open files. Read with fgets
/// (Foundation's file reading truncates /proc files).
enum ResidentMemory {
    /// Resident set size of `pid` (this process by default), from /proc/PID/statm.
    static func bytes(pid: Int32? = nil) -> Int {
        guard let fields = procFields(pid, "statm"), fields.count > 1, let pages = Int(fields[1]) else { return 0 }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    /// User + system CPU time `pid` has used so far, from /proc/PID/stat (fields 14 and 15).
    static func cpuTime(pid: Int32) -> Duration {
        let split = cpuTimes(pid: pid)
        return split.user + split.system
    }

    /// User and system (kernel) CPU time `pid` has used so far, from /proc/PID/stat.
    static func cpuTimes(pid: Int32) -> (user: Duration, system: Duration) {
        // The command name (field 2) may contain spaces: count fields after its closing ')'.
        guard let line = procLine(pid, "stat"), let close = line.lastIndex(of: ")") else { return (.zero, .zero) }
        let rest = line[line.index(after: close)...].split(separator: " ")
        guard rest.count > 13, let user = Int64(rest[11]), let system = Int64(rest[12]) else { return (.zero, .zero) }
        let ticksPerSecond = Int64(sysconf(Int32(_SC_CLK_TCK)))
        return (.milliseconds(user * 1000 / ticksPerSecond), .milliseconds(system * 1000 / ticksPerSecond))
    }

    /// Number of open file descriptors of `pid`.
    static func openFiles(pid: Int32) -> Int {
        (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd").count) ?? 0
    }

    private static func procFields(_ pid: Int32?, _ file: String) -> [Substring]? {
        procLine(pid, file)?.split(separator: " ")
    }

    private static func procLine(_ pid: Int32?, _ file: String) -> String? {
        let path = pid.map { "/proc/\($0)/\(file)" } ?? "/proc/self/\(file)"
        guard let handle = fopen(path, "r") else { return nil }
        defer { fclose(handle) }
        var line = [CChar](repeating: 0, count: 1024)
        guard fgets(&line, Int32(line.count), handle) != nil else { return nil }
        return String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
