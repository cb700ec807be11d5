import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A child process started with `posix_spawn` directly, the way every test starts one.
///
/// Hand-written instead of Foundation's `Process` because swift-corelibs-foundation's
/// `Process.run()` crashed the test binary (a bad `memcpy` inside it) in full-suite runs: on
/// Linux it emulates close-on-exec by adding one close action per descriptor up to the highest
/// open one, while the in-process fleets of other suites open and close thousands of sockets.
/// Here the child closes everything above stderr itself (`posix_spawn_file_actions_addclosefrom_np`,
/// glibc ≥ 2.34), the parent's pipe ends are close-on-exec from the start, and one reaper
/// thread per child waits for it. No run loop, no shared state between launches.
public final class SpawnedProcess: @unchecked Sendable {
    // @unchecked: the mutable termination state is guarded by `condition`.

    /// Where a standard stream of the child goes.
    public enum Stream: Sendable {
        /// `/dev/null`.
        case null
        /// A pipe whose other end the parent reads (or, for stdin, writes).
        case pipe
        /// stderr only: the same pipe as stdout.
        case stdout
    }

    /// How the child ended.
    public enum Termination: Sendable, Equatable {
        case exited(Int32)
        case signalled(Int32)
    }

    public let processIdentifier: pid_t
    /// The write end of the child's stdin when it is `.pipe`.
    public let standardInput: FileHandle?
    /// The read end of the child's stdout when it is `.pipe`.
    public let standardOutput: FileHandle?
    /// The read end of the child's stderr when it is `.pipe`.
    public let standardError: FileHandle?

    private let condition = NSCondition()
    private var termination: Termination?
    private var exitHandlers: [@Sendable (Termination) -> Void] = []

    /// Starts `executable` (an absolute path) with `arguments`. The environment defaults to a copy
    /// of this process's; signals are reset to their defaults and unblocked in the child.
    public init(
        _ executable: String, _ arguments: [String], environment: [String: String]? = nil, directory: String? = nil,
        stdin: Stream = .null, stdout: Stream = .pipe, stderr: Stream = .pipe
    ) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        var childEnds: [Int32] = []
        defer { for fd in childEnds { close(fd) } }
        var parentEnds: [Int32] = []
        var ready = false
        defer { if !ready { for fd in parentEnds { close(fd) } } }

        /// A close-on-exec pipe: (read, write). (`pipe2` is behind `_GNU_SOURCE` too; a child
        /// spawned here between `pipe` and `fcntl` closes the ends anyway, see `closeFrom`.)
        func makePipe() throws -> (Int32, Int32) {
            var fds: [Int32] = [0, 0]
            guard pipe(&fds) == 0 else { throw SpawnError("pipe failed: \(String(cString: strerror(errno)))") }
            for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
            return (fds[0], fds[1])
        }
        let null = open("/dev/null", O_RDWR | O_CLOEXEC)
        guard null >= 0 else { throw SpawnError("cannot open /dev/null") }
        childEnds.append(null)

        var input: Int32?
        switch stdin {
        case .pipe:
            let (read, write) = try makePipe()
            childEnds.append(read)
            parentEnds.append(write)
            input = write
            posix_spawn_file_actions_adddup2(&actions, read, 0)
        case .null, .stdout:
            posix_spawn_file_actions_adddup2(&actions, null, 0)
        }
        var output: Int32?
        var outputChildEnd = null
        switch stdout {
        case .pipe, .stdout:
            let (read, write) = try makePipe()
            childEnds.append(write)
            parentEnds.append(read)
            output = read
            outputChildEnd = write
            posix_spawn_file_actions_adddup2(&actions, write, 1)
        case .null:
            posix_spawn_file_actions_adddup2(&actions, null, 1)
        }
        var errors: Int32?
        switch stderr {
        case .pipe:
            let (read, write) = try makePipe()
            childEnds.append(write)
            parentEnds.append(read)
            errors = read
            posix_spawn_file_actions_adddup2(&actions, write, 2)
        case .stdout:
            posix_spawn_file_actions_adddup2(&actions, outputChildEnd, 2)
        case .null:
            posix_spawn_file_actions_adddup2(&actions, null, 2)
        }
        guard Self.closeFrom(&actions, 3) == 0 else { throw SpawnError("posix_spawn_file_actions_addclosefrom_np failed") }
        if let directory, Self.changeDirectory(&actions, directory) != 0 {
            throw SpawnError("cannot change to \(directory) in the child")
        }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attributes, &none)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGPIPE, SIGTERM, SIGINT, SIGHUP, SIGCHLD] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        let environmentPairs = (environment ?? ProcessInfo.processInfo.environment).map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for pointer in environmentPairs { free(pointer) } }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, executable, &actions, &attributes, argv, environmentPairs)
        guard status == 0 else { throw SpawnError("cannot start \(executable): \(String(cString: strerror(status)))") }

        ready = true
        processIdentifier = pid
        standardInput = input.map { FileHandle(fileDescriptor: $0, closeOnDealloc: true) }
        standardOutput = output.map { FileHandle(fileDescriptor: $0, closeOnDealloc: true) }
        standardError = errors.map { FileHandle(fileDescriptor: $0, closeOnDealloc: true) }
        Thread { [self] in reap() }.start()
    }

    /// Waits for the child on the reaper thread and publishes how it ended.
    private func reap() {
        var status: Int32 = 0
        while waitpid(processIdentifier, &status, 0) == -1 && errno == EINTR {}
        // WIFEXITED / WTERMSIG spelled out (the C macros are not imported).
        let signal = status & 0x7f
        let ended: Termination = signal == 0 ? .exited((status >> 8) & 0xff) : .signalled(signal)
        condition.lock()
        termination = ended
        let handlers = exitHandlers
        exitHandlers = []
        condition.broadcast()
        condition.unlock()
        for handler in handlers { handler(ended) }
    }

    /// How the child ended, or `nil` while it runs.
    public var exit: Termination? {
        condition.lock()
        defer { condition.unlock() }
        return termination
    }

    public var isRunning: Bool { exit == nil }

    /// Blocks the calling thread until the child has exited (never call it on the cooperative pool).
    @discardableResult
    public func waitUntilExit() -> Termination {
        condition.lock()
        defer { condition.unlock() }
        while termination == nil { condition.wait() }
        return termination!
    }

    /// Blocks at most `seconds` for the exit; `nil` if the child still runs.
    public func waitUntilExit(timeout seconds: Double) -> Termination? {
        let deadline = Date(timeIntervalSinceNow: seconds)
        condition.lock()
        defer { condition.unlock() }
        while termination == nil, condition.wait(until: deadline) {}
        return termination
    }

    /// Waits for the exit without blocking a thread of the cooperative pool.
    public func exited() async -> Termination {
        await withCheckedContinuation { continuation in onExit { continuation.resume(returning: $0) } }
    }

    /// Calls `handler` once the child has exited (at once if it already has), on the reaper thread.
    public func onExit(_ handler: @escaping @Sendable (Termination) -> Void) {
        condition.lock()
        if let termination {
            condition.unlock()
            handler(termination)
            return
        }
        exitHandlers.append(handler)
        condition.unlock()
    }

    /// Sends `signal` to the child (if it has not been reaped yet).
    public func signal(_ number: Int32) {
        if isRunning { kill(processIdentifier, number) }
    }

    /// The exit status, or the number of the signal that ended the child.
    public var terminationStatus: Int32 {
        switch waitUntilExit() {
        case .exited(let status), .signalled(let status): status
        }
    }

    // The two `_np` file actions are glibc extensions behind `_GNU_SOURCE`, which the Glibc
    // module does not import: they are looked up once at run time.
    private typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>?, Int32) -> Int32
    private typealias ChangeDirectory = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>?, UnsafePointer<CChar>?) -> Int32

    private static let closeFromFunction: CloseFrom? = symbol("posix_spawn_file_actions_addclosefrom_np")
    private static let changeDirectoryFunction: ChangeDirectory? = symbol("posix_spawn_file_actions_addchdir_np")

    private static func symbol<T>(_ name: String) -> T? {
        guard let address = dlsym(UnsafeMutableRawPointer(bitPattern: 0), name) else { return nil }
        return unsafeBitCast(address, to: T.self)
    }

    private static func closeFrom(_ actions: inout posix_spawn_file_actions_t, _ lowest: Int32) -> Int32 {
        guard let function = closeFromFunction else { return ENOSYS }
        return function(&actions, lowest)
    }

    private static func changeDirectory(_ actions: inout posix_spawn_file_actions_t, _ path: String) -> Int32 {
        guard let function = changeDirectoryFunction else { return ENOSYS }
        return path.withCString { function(&actions, $0) }
    }
}

/// Why a child could not be started.
public struct SpawnError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
