import CTetherABI
import Dispatch
import Synchronization
import TetherJSON

#if canImport(Glibc)
import Glibc
#endif

/// A plugin whose instance was created and is serving requests.
///
/// `@unchecked Sendable`: the descriptor is static, immutable plugin memory; the instance pointer
/// is only handed to the descriptor's `[thread-safe]` functions (`handle`, `cancel`,
/// `get_extension`) and, once, to `destroy` (host-serialized). `gate` makes sure no `handle` or
/// `cancel` call is running, or starts, once `destroy` has begun.
public final class LoadedPlugin: @unchecked Sendable {
    public let id: String
    public let name: String
    public let version: String
    /// The ABI version the plugin was built against (`major << 16 | minor`).
    public let abiVersion: UInt32
    public let path: String
    /// Extension id → the manifest the plugin declared for it.
    public let contributions: [String: JSONValue]

    let descriptor: UnsafePointer<tether_plugin_descriptor>
    let instance: UnsafeMutableRawPointer?
    let handleFunction: HandleFunction
    let cancelFunction: CancelFunction
    let destroyFunction: DestroyFunction
    private let gate = Mutex<(active: Int, destroying: Bool, drained: DispatchSemaphore?)>((0, false, nil))

    typealias HandleFunction = @convention(c) (
        UnsafeMutableRawPointer?, UInt64, UnsafePointer<UInt8>?, Int, tether_complete_fn?, UnsafeMutableRawPointer?
    ) -> Int32
    typealias CancelFunction = @convention(c) (UnsafeMutableRawPointer?, UInt64) -> Void
    typealias DestroyFunction = @convention(c) (UnsafeMutableRawPointer?) -> Void

    init(
        id: String, name: String, version: String, abiVersion: UInt32, path: String,
        contributions: [String: JSONValue], descriptor: UnsafePointer<tether_plugin_descriptor>,
        instance: UnsafeMutableRawPointer?, handle: HandleFunction, cancel: CancelFunction, destroy: DestroyFunction
    ) {
        self.id = id
        self.name = name
        self.version = version
        self.abiVersion = abiVersion
        self.path = path
        self.contributions = contributions
        self.descriptor = descriptor
        self.instance = instance
        self.handleFunction = handle
        self.cancelFunction = cancel
        self.destroyFunction = destroy
    }

    /// "1.0"-style text of `abiVersion`.
    public var abiText: String { "\(abiVersion >> 16).\(abiVersion & 0xFFFF)" }

    /// Runs `body` with the instance unless the plugin is being destroyed (then nil).
    func withInstance<T>(_ body: (UnsafeMutableRawPointer?) -> T) -> T? {
        let entered = gate.withLock { gate -> Bool in
            guard !gate.destroying else { return false }
            gate.active += 1
            return true
        }
        guard entered else { return nil }
        defer {
            // The last call out while `beginDestroy` waits wakes it (no new call enters then).
            let waiter = gate.withLock { gate -> DispatchSemaphore? in
                gate.active -= 1
                return gate.active == 0 ? gate.drained : nil
            }
            waiter?.signal()
        }
        return body(instance)
    }

    var isDestroyed: Bool { gate.withLock { $0.destroying } }

    /// Marks the plugin as being destroyed (false when it already was) and waits — on the
    /// calling thread, never the cooperative pool — until running `handle`/`cancel` calls
    /// (which must not block) have returned. Then `destroy` may run.
    func beginDestroy() -> Bool {
        let drained = DispatchSemaphore(value: 0)
        let (first, mustWait) = gate.withLock { gate -> (Bool, Bool) in
            guard !gate.destroying else { return (false, false) }
            gate.destroying = true
            guard gate.active > 0 else { return (true, false) }
            gate.drained = drained
            return (true, true)
        }
        guard first else { return false }
        if mustWait { drained.wait() }
        return true
    }
}
