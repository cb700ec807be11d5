import Foundation
import NIOCore
import NIOPosix
import Synchronization

/// Runs Swift concurrency's global jobs on NIO's event loops (the threads that do the I/O), each
/// on the generic executor, as Swift's own pool runs them.
///
/// Hand-written instead of `NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()`,
/// which installs the same hook but runs every job with the event loop as its *serial*
/// executor. A nonisolated async function must run on the generic executor, so under NIO's hook
/// each call into one (and each return from one) became a new global job, a trip through the
/// loop's task queue: 123 of them per REST power-state read, measured with uprobes on
/// `swift_task_enqueueGlobal`. Run on the generic executor, those switches are free and only the
/// real hand-offs (a continuation resumed by I/O, a new task, an actor) are enqueued.
public enum EventLoopGlobalExecutor {
    /// Where Swift concurrency's global jobs run; the host's start line logs it as `executor`.
    public enum Kind: UInt8, Sendable, CustomStringConvertible {
        /// Swift's default pool (nothing installed).
        case swiftPool
        /// NIO's hook: the event loops, each job on the loop's serial executor.
        case nioEventLoops
        /// This hook: the event loops, each job on the generic executor.
        case eventLoops

        public var description: String {
            switch self {
            case .swiftPool: "swift-pool"
            case .nioEventLoops: "nio-event-loops"
            case .eventLoops: "event-loops"
            }
        }
    }

    private static let installed = Atomic<UInt8>(Kind.swiftPool.rawValue)

    /// What is installed.
    public static var current: Kind { Kind(rawValue: installed.load(ordering: .relaxed)) ?? .swiftPool }

    /// The hook's type in the Swift runtime (`swift_task_enqueueGlobal_hook`): the job, and the
    /// default implementation (not used: the default pool stays idle).
    private typealias EnqueueGlobalHook = @convention(thin) (UnownedJob, @convention(thin) (UnownedJob) -> Void) -> Void

    /// Installs NIO's hook instead (`TETHER_EXECUTOR=nio`, for comparison).
    public static func installNIOHook() {
        if NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor() {
            installed.store(Kind.nioEventLoops.rawValue, ordering: .relaxed)
        }
    }

    /// Installs the hook; false (and nothing changed) when the runtime has no hook or another is
    /// installed. Call once, from the main thread, before the first task that should run on the
    /// loops (as NIO's own installer requires).
    @discardableResult
    public static func install() -> Bool {
        guard let symbol = dlsym(dlopen(nil, RTLD_NOW), "swift_task_enqueueGlobal_hook") else { return false }
        let slot = symbol.assumingMemoryBound(to: UnsafeRawPointer?.self)
        guard slot.pointee == nil else { return false }
        let hook: EnqueueGlobalHook = { job, _ in
            // `any()` is the current loop when called on one of the group's loops: no thread switch.
            MultiThreadedEventLoopGroup.singleton.any().execute { runOnGenericExecutor(job) }
        }
        // The runtime reads the slot as a plain C function pointer; a thin, capture-free Swift
        // closure is one.
        slot.pointee = unsafeBitCast(hook, to: UnsafeRawPointer.self)
        installed.store(Kind.eventLoops.rawValue, ordering: .relaxed)
        return true
    }
}

/// `swift_job_run(job, generic executor)`: what Swift's default global executor does with a job.
/// (`UnownedJob.runSynchronously(on:)` needs an `UnownedSerialExecutor`, and the generic one,
/// identity 0, has no public initialiser.)
private func runOnGenericExecutor(_ job: UnownedJob) {
    swiftJobRun(job, unsafeBitCast((UInt(0), UInt(0)), to: UnownedSerialExecutor.self))
}

@_silgen_name("swift_job_run")
private func swiftJobRun(_ job: UnownedJob, _ executor: UnownedSerialExecutor)
