import Dispatch
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Gives the memory that connection churn freed back to the operating system.
///
/// Every TLS handshake allocates and frees tens of KiB (record buffers, key exchange, the
/// handshake transcript, OpenSSL's `SSL` object, freed after a TLS 1.2 AES-GCM handshake) between
/// the small allocations an idle tunnel keeps. After a burst of accepts and closes has been quiet
/// for a tick (so what the burst's follow-up work freed goes too), and at least every
/// ``maxTicksBetweenTrims`` ticks under steady churn, the trimmer hands the freed pages back, on a
/// utility queue, never while nothing changed:
///
/// * **jemalloc** (what `tether serve` links, README "Memory per tunnel and handshakes"): purges
///   every arena's dirty pages at once (`mallctl("arena.4096.purge")`) instead of waiting for
///   jemalloc's 10 s decay. Its size-class slabs keep the small long-lived allocations together:
///   8.7 KiB host RSS per idle tunnel at 10,000 tunnels, against 17.9–21.5 KiB with glibc.
/// * **glibc** (processes that do not link jemalloc, such as the test runner): `malloc_trim(0)`
///   releases every free page inside the heaps (`MADV_DONTNEED`), and the mmap threshold is set
///   to ``mmapThreshold`` once per process so TLS record buffers (about 17 KiB) come from `mmap`
///   and leave no holes between idle tunnels (2,000 tunnels: 33–35 KiB per tunnel with the
///   dynamic threshold, 23 KiB with 16 KiB; the cost is an `mmap`/`munmap` pair per record).
///
/// The allocator's functions are looked up at run time (`dlsym`); without either, nothing is done.
public final class HeapTrimmer: Sendable {
    private typealias Trim = @convention(c) (Int) -> Int32
    private typealias Option = @convention(c) (Int32, Int32) -> Int32
    private typealias MallocControl = @convention(c) (
        UnsafePointer<CChar>?, UnsafeMutableRawPointer?, UnsafeMutablePointer<Int>?, UnsafeMutableRawPointer?, Int
    ) -> Int32

    /// jemalloc's `mallctl`, when it is linked in (looked up once).
    private static let jemallocControl: MallocControl? = {
        #if canImport(Glibc)
        return dlsym(dlopen(nil, RTLD_NOW), "mallctl").map { unsafeBitCast($0, to: MallocControl.self) }
        #else
        return nil
        #endif
    }()

    /// The allocator serving this process: `jemalloc` when its `mallctl` is linked in, else `glibc`.
    public static let allocatorName: String = {
        #if canImport(Glibc)
        return jemallocControl != nil ? "jemalloc" : "glibc"
        #else
        return "system"
        #endif
    }()
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
    /// Returns freed pages to the operating system (nil: nothing to call).
    private let trim: (@Sendable () -> Void)?

    init() {
        #if canImport(Glibc)
        let process = dlopen(nil, RTLD_NOW)
        if let control = Self.jemallocControl {
            // 4096 is MALLCTL_ARENAS_ALL: every arena.
            trim = { _ = control("arena.4096.purge", nil, nil, nil, 0) }
            return
        }
        if let glibcTrim = dlsym(process, "malloc_trim").map({ unsafeBitCast($0, to: Trim.self) }) {
            trim = { _ = glibcTrim(0) }
        } else {
            trim = nil
        }
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
            trim()
            running.store(false, ordering: .releasing)
        }
    }
}
