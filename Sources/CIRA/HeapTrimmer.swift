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
/// inside the heaps (`MADV_DONTNEED`); it runs here once a burst of accepts and closes has been
/// quiet for a tick (so what the burst's follow-up work freed goes too), at least every
/// ``maxTicksBetweenTrims`` ticks under steady churn, on a utility queue (it walks the arenas, a
/// few milliseconds), never while nothing changed.
///
/// The trimmer also sets glibc's mmap threshold to ``mmapThreshold`` (once per process): TLS
/// record buffers (about 17 KiB, allocated for each handshake and, with
/// `SSL_MODE_RELEASE_BUFFERS`, for each record) then come from `mmap` and leave no holes between
/// the small allocations idle tunnels keep. Measured with 2,000 tunnels
/// (`tether-bench product --devices 2000`): 33–35 KiB host RSS per idle tunnel with the default
/// (dynamic, up to 32 MiB) threshold, 23 KiB with 16 KiB. The cost is an `mmap`/`munmap` pair per
/// record on busy tunnels, a few microseconds.
///
/// `malloc_trim` and `mallopt` are looked up at run time (`dlsym`): they are glibc's, and on a C
/// library without them the trimmer does nothing.
final class HeapTrimmer: Sendable {
    private typealias Trim = @convention(c) (Int) -> Int32
    private typealias Option = @convention(c) (Int32, Int32) -> Int32
    /// Allocations at least this large are served by `mmap` (glibc `M_MMAP_THRESHOLD`).
    static let mmapThreshold: Int32 = 16 * 1024
    /// glibc's `M_MMAP_THRESHOLD` option number (malloc.h).
    private static let mMmapThreshold: Int32 = -3

    /// Connection events (accepts and closes) since the start; a trim runs when it moved.
    private let churn = Atomic<UInt64>(0)
    /// Churn seen at the previous tick and at the last trim; ticks since that trim.
    private let ticks = Mutex<(previous: UInt64, trimmed: UInt64, sinceTrim: Int)>((0, 0, 0))
    /// Under churn that never pauses, a trim still runs this often (in ticks).
    static let maxTicksBetweenTrims = 10
    private let running = Atomic<Bool>(false)
    private let trim: Trim?

    init() {
        #if canImport(Glibc)
        let process = dlopen(nil, RTLD_NOW)
        trim = dlsym(process, "malloc_trim").map { unsafeBitCast($0, to: Trim.self) }
        // `TETHER_MMAP_THRESHOLD=0` leaves glibc's dynamic threshold alone (no mmap/munmap per
        // TLS record, more memory per idle tunnel); a value that is not a number keeps 16 KiB.
        let setting = getenv("TETHER_MMAP_THRESHOLD").flatMap { Int32(String(cString: $0)) } ?? Self.mmapThreshold
        if setting > 0,
            let option = dlsym(process, "mallopt").map({ unsafeBitCast($0, to: Option.self) })
        {
            _ = option(Self.mMmapThreshold, setting)
        }
        #else
        trim = nil
        #endif
    }

    /// Records a connection accepted or closed.
    func noteChurn() {
        churn.add(1, ordering: .relaxed)
    }

    /// Called periodically: trims when connections came or went since the last trim and either
    /// none did during the last tick or the last trim is ``maxTicksBetweenTrims`` ticks old.
    func tick() {
        guard let trim else { return }
        let now = churn.load(ordering: .relaxed)
        let due = ticks.withLock { state -> Bool in
            defer { state.previous = now }
            guard now != state.trimmed else { return false }
            state.sinceTrim += 1
            guard now == state.previous || state.sinceTrim >= Self.maxTicksBetweenTrims else { return false }
            state.trimmed = now
            state.sinceTrim = 0
            return true
        }
        guard due, running.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else { return }
        DispatchQueue.global(qos: .utility).async { [self] in
            _ = trim(0)
            running.store(false, ordering: .releasing)
        }
    }
}
