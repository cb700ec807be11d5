import Dispatch
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Gives the memory that connection churn freed back to the operating system.
///
/// Every TLS handshake allocates and frees tens of KiB (record buffers, key exchange, the
/// handshake transcript) between the small allocations an idle tunnel keeps. glibc's `free`
/// returns memory only from the top of a heap, so after a ramp of thousands of handshakes the
/// freed holes between live tunnels stay resident. `malloc_trim(0)` releases every free page
/// inside the heaps (`MADV_DONTNEED`); it runs here a few seconds after connections were
/// accepted or closed, on a utility queue (it walks the arenas, a few milliseconds), never while
/// nothing changed.
///
/// `malloc_trim` is looked up at run time (`dlsym`): it is glibc's, and on a C library without it
/// the trimmer does nothing.
final class HeapTrimmer: Sendable {
    private typealias Trim = @convention(c) (Int) -> Int32

    /// Connection events (accepts and closes) since the start; a trim runs when it moved.
    private let churn = Atomic<UInt64>(0)
    private let trimmedAt = Atomic<UInt64>(0)
    private let running = Atomic<Bool>(false)
    private let trim: Trim?

    init() {
        #if canImport(Glibc)
        let symbol = dlsym(dlopen(nil, RTLD_NOW), "malloc_trim")
        trim = symbol.map { unsafeBitCast($0, to: Trim.self) }
        #else
        trim = nil
        #endif
    }

    /// Records a connection accepted or closed.
    func noteChurn() {
        churn.add(1, ordering: .relaxed)
    }

    /// Called periodically: trims once if connections came or went since the last trim.
    func tick() {
        guard let trim else { return }
        let now = churn.load(ordering: .relaxed)
        guard now != trimmedAt.load(ordering: .relaxed),
            running.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged
        else { return }
        trimmedAt.store(now, ordering: .relaxed)
        DispatchQueue.global(qos: .utility).async { [self] in
            _ = trim(0)
            running.store(false, ordering: .releasing)
        }
    }
}
