import CTetherABI
import Logging
import TetherJSON

#if canImport(Glibc)
import Glibc
#endif

/// What the host keeps for each plugin behind `tether_host_api.host_ctx`. Lives for the rest of
/// the process (plugins are never unloaded), so the raw context pointer never dangles.
final class PluginContext: Sendable {
    let pluginID: String
    let logger: Logger
    let bus: CommandBus
    let scopes: RequestScopes

    init(pluginID: String, logger: Logger, bus: CommandBus, scopes: RequestScopes) {
        self.pluginID = pluginID
        self.logger = logger
        self.bus = bus
        self.scopes = scopes
    }
}

/// A C function pointer + context pair that may be called from any thread.
struct CompletionTarget: @unchecked Sendable {
    let function: tether_complete_fn
    let context: UnsafeMutableRawPointer?

    func complete(status: Int32, body: [UInt8]) {
        body.withUnsafeBufferPointer { buffer in
            function(context, status, buffer.baseAddress, buffer.count)
        }
    }
}

/// Builds the `tether_host_api` tables handed to plugins' `create`.
enum HostAPITable {
    nonisolated(unsafe) static let hostVersion: UnsafePointer<CChar> = {
        let copy = strdup(TetherHostVersion.current)!
        return UnsafePointer(copy)
    }()

    /// The size of the v1.0 table (a host of that version hands out no more).
    static let version10Size = MemoryLayout<tether_host_api>.offset(of: \tether_host_api.release)!
        + MemoryLayout<UnsafeRawPointer>.size

    /// Allocates a table for one plugin. Never freed: it must outlive every plugin call.
    /// `structSize` below the full size imitates an older host (tests of the kit's negotiation):
    /// the fields beyond it are left out of the stamp.
    static func make(for context: PluginContext, structSize: Int = MemoryLayout<tether_host_api>.size) -> UnsafeMutablePointer<tether_host_api> {
        let table = UnsafeMutablePointer<tether_host_api>.allocate(capacity: 1)
        let old = structSize < MemoryLayout<tether_host_api>.size
        table.initialize(
            to: tether_host_api(
                struct_size: UInt32(structSize),
                abi_version: old ? 0x0001_0000 : TETHER_ABI_VERSION,
                host_ctx: Unmanaged.passRetained(context).toOpaque(),
                host_version: hostVersion,
                log: hostLog,
                submit: hostSubmit,
                get_extension: hostGetExtension,
                alloc: hostAlloc,
                release: hostRelease,
                now_ns: old ? nil : hostNow,
                submit_within: old ? nil : hostSubmitWithin,
                cancel_submit: old ? nil : hostCancelSubmit,
                request_deadline_ns: old ? nil : hostRequestDeadline
            ))
        return table
    }
}

func context(_ raw: UnsafeMutableRawPointer?) -> PluginContext? {
    guard let raw else { return nil }
    return Unmanaged<PluginContext>.fromOpaque(raw).takeUnretainedValue()
}

private let hostLog: @convention(c) (UnsafeMutableRawPointer?, Int32, UnsafePointer<CChar>?, Int) -> Void = {
    ctx, level, message, length in
    guard let plugin = context(ctx), let message else { return }
    let bytes = UnsafeRawBufferPointer(start: message, count: min(length, 64 * 1024))
    let text = String(decoding: bytes, as: UTF8.self)
    let swiftLevel: Logger.Level =
        switch level {
        case TETHER_LOG_TRACE: .trace
        case TETHER_LOG_DEBUG: .debug
        case TETHER_LOG_INFO: .info
        case TETHER_LOG_WARN: .warning
        default: .error
        }
    plugin.logger.log(level: swiftLevel, "\(text)", metadata: ["plugin": "\(plugin.pluginID)"])
}

private let hostSubmit:
    @convention(c) (
        UnsafeMutableRawPointer?, UnsafePointer<UInt8>?, Int, tether_complete_fn?, UnsafeMutableRawPointer?
    ) -> Int32 = { ctx, json, length, callback, callbackContext in
        guard let plugin = context(ctx) else { return TETHER_ERR_BAD_REQUEST }
        return HostSubmission.start(
            plugin, parent: 0, deadline: 0, json: json, length: length, callback: callback, context: callbackContext, out: nil)
    }

private let hostSubmitWithin:
    @convention(c) (
        UnsafeMutableRawPointer?, UInt64, UInt64, UnsafePointer<UInt8>?, Int, tether_complete_fn?,
        UnsafeMutableRawPointer?, UnsafeMutablePointer<UInt64>?
    ) -> Int32 = { ctx, parent, deadline, json, length, callback, callbackContext, out in
        guard let plugin = context(ctx) else { return TETHER_ERR_BAD_REQUEST }
        return HostSubmission.start(
            plugin, parent: parent, deadline: deadline, json: json, length: length, callback: callback,
            context: callbackContext, out: out)
    }

private let hostCancelSubmit: @convention(c) (UnsafeMutableRawPointer?, UInt64) -> Void = { ctx, id in
    context(ctx)?.scopes.cancelSubmission(id)
}

private let hostNow: @convention(c) (UnsafeMutableRawPointer?) -> UInt64 = { _ in
    CommandDeadline.monotonicNanoseconds()
}

private let hostRequestDeadline: @convention(c) (UnsafeMutableRawPointer?, UInt64) -> UInt64 = { ctx, id in
    guard let plugin = context(ctx), let deadline = plugin.scopes.deadline(of: id, pluginID: plugin.pluginID) else {
        return 0
    }
    return CommandDeadline.monotonicNanoseconds(of: deadline)
}

private let hostGetExtension: @convention(c) (UnsafeMutableRawPointer?, UnsafePointer<CChar>?) -> UnsafeRawPointer? = {
    _, id in
    guard let id, strcmp(id, TETHER_HOST_EXT_C_HELPERS) == 0 else { return nil }
    return UnsafeRawPointer(CHelpersTable.table)
}

private let hostAlloc: @convention(c) (UnsafeMutableRawPointer?, Int) -> UnsafeMutableRawPointer? = { _, size in
    malloc(max(size, 1))
}

private let hostRelease: @convention(c) (UnsafeMutableRawPointer?, UnsafeMutableRawPointer?) -> Void = { _, pointer in
    free(pointer)
}

extension CommandError {
    /// The ABI status code that corresponds to this error's code.
    public var abiStatus: Int32 {
        switch code {
        case .badRequest: TETHER_ERR_BAD_REQUEST
        case .unsupported: TETHER_ERR_UNSUPPORTED
        case .cancelled: TETHER_ERR_CANCELLED
        case .unavailable: TETHER_ERR_BUSY
        case .timeout: TETHER_ERR_TIMEOUT
        case .notFound: TETHER_ERR_NOT_FOUND
        default: TETHER_ERR_GENERIC
        }
    }

    /// The error code for an ABI status.
    static func code(forStatus status: Int32) -> Code {
        switch status {
        case TETHER_ERR_BAD_REQUEST: .badRequest
        case TETHER_ERR_UNSUPPORTED: .unsupported
        case TETHER_ERR_CANCELLED: .cancelled
        case TETHER_ERR_BUSY, TETHER_ERR_SHUTDOWN: .unavailable
        case TETHER_ERR_TIMEOUT: .timeout
        case TETHER_ERR_NOT_FOUND: .notFound
        default: .pluginFailure
        }
    }
}
