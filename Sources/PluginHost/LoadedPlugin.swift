import CTetherABI
import TetherJSON

/// A plugin whose instance was created and is serving requests.
///
/// `@unchecked Sendable`: the descriptor is static, immutable plugin memory; the instance pointer
/// is only handed to the descriptor's `[thread-safe]` functions (`handle`, `cancel`,
/// `get_extension`) and, once, to `destroy` (host-serialized, guarded by `destroyed`).
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
    let destroyed = AtomicFlag()

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
}
