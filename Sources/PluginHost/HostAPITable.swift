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

    init(pluginID: String, logger: Logger, bus: CommandBus) {
        self.pluginID = pluginID
        self.logger = logger
        self.bus = bus
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

    /// Allocates a table for one plugin. Never freed: it must outlive every plugin call.
    static func make(for context: PluginContext) -> UnsafeMutablePointer<tether_host_api> {
        let table = UnsafeMutablePointer<tether_host_api>.allocate(capacity: 1)
        table.initialize(
            to: tether_host_api(
                struct_size: UInt32(MemoryLayout<tether_host_api>.size),
                abi_version: TETHER_ABI_VERSION,
                host_ctx: Unmanaged.passRetained(context).toOpaque(),
                host_version: hostVersion,
                log: hostLog,
                submit: hostSubmit,
                get_extension: hostGetExtension,
                alloc: hostAlloc,
                release: hostRelease
            ))
        return table
    }
}

private func context(_ raw: UnsafeMutableRawPointer?) -> PluginContext? {
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
        guard let plugin = context(ctx), let callback, let json else { return TETHER_ERR_BAD_REQUEST }
        guard let request = try? JSONValue(parsing: UnsafeBufferPointer(start: json, count: length)),
            request["command"]?.stringValue != nil
        else {
            plugin.logger.warning(
                "plugin submitted a request that is not {\"command\":…,\"args\":…} JSON",
                metadata: ["plugin": "\(plugin.pluginID)"])
            return TETHER_ERR_BAD_REQUEST
        }
        let target = CompletionTarget(function: callback, context: callbackContext)
        let bus = plugin.bus
        Task {
            switch await bus.result(request: request) {
            case .success(let result): target.complete(status: TETHER_OK, body: result.encodedBytes())
            case .failure(let error): target.complete(status: error.abiStatus, body: error.json.encodedBytes())
            }
        }
        return TETHER_OK
    }

private let hostGetExtension: @convention(c) (UnsafeMutableRawPointer?, UnsafePointer<CChar>?) -> UnsafeRawPointer? = {
    _, _ in nil  // ABI v1.0 defines no host extensions yet.
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
