import CTetherABI
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The host as a Swift plugin sees it: logging and host commands. Thread-safe.
///
/// The kit negotiates by `struct_size`: it keeps its own copy of the host's table, with the
/// fields the host did not provide (an older host) left NULL, so it never reads past the
/// host's table and uses newer functions only where they exist.
///
/// `@unchecked Sendable`: the copied table is immutable after init and its functions are all
/// `[thread-safe]`; `host_ctx` stays valid until the instance is destroyed.
public final class PluginHostConnection: @unchecked Sendable {
    public enum LogLevel: Int32, Sendable {
        case trace = 0, debug, info, warning, error
    }

    private let table: UnsafeMutablePointer<tether_host_api>
    /// The ABI version the host stamped on its table.
    public let hostABIVersion: UInt32

    /// The size of a v1.0 host table: every v1.0 field is required.
    static let version10Size = MemoryLayout<tether_host_api>.offset(of: \tether_host_api.release)!
        + MemoryLayout<UnsafeRawPointer>.size

    /// Copies the host's table (nil when it is smaller than v1.0's).
    init?(api: UnsafePointer<tether_host_api>) {
        let raw = UnsafeRawPointer(api)
        let size = Int(raw.load(as: UInt32.self))
        guard size >= Self.version10Size else { return nil }
        hostABIVersion = raw.load(fromByteOffset: 4, as: UInt32.self)
        table = .allocate(capacity: 1)
        let full = MemoryLayout<tether_host_api>.size
        UnsafeMutableRawPointer(table).initializeMemory(as: UInt8.self, repeating: 0, count: full)
        UnsafeMutableRawPointer(table).copyMemory(from: raw, byteCount: min(size, full))
        table.pointee.struct_size = UInt32(min(size, full))
    }

    deinit { table.deallocate() }

    /// The host's version string.
    public var hostVersion: String {
        table.pointee.host_version.map { String(cString: $0) } ?? "unknown"
    }

    /// True when the host links submits to requests (deadlines and cancellation: ABI 1.1).
    public var supportsDeadlines: Bool { table.pointee.submit_within != nil && table.pointee.cancel_submit != nil }

    /// Logs `message` under this plugin's id. Never pass secrets.
    public func log(_ level: LogLevel, _ message: String) {
        guard let log = table.pointee.log else { return }
        var text = message
        text.withUTF8 { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                log(table.pointee.host_ctx, level.rawValue, chars.baseAddress, chars.count)
            }
        }
    }

    /// The host's deadline for request `id` (CLOCK_MONOTONIC ns), nil when unknown.
    func deadline(ofRequest id: UInt64) -> UInt64? {
        guard let lookup = table.pointee.request_deadline_ns else { return nil }
        let value = lookup(table.pointee.host_ctx, id)
        return value == 0 ? nil : value
    }

    /// Runs host command `command` with `args` and returns its result.
    ///
    /// Submitted from inside `handle` (before it answers), the command is linked to the request
    /// being handled: it runs under that request's deadline, or `timeout` from now when that is
    /// earlier (a plugin may shorten its budget, never extend it), and is cancelled with it.
    /// Submitted later (from a task that outlives the answer) it runs on the plugin's own
    /// account. Cancelling the calling task cancels the command (`cancel_submit`); on a v1.0
    /// host, which cannot cancel, the call stops waiting and the late reply is dropped.
    public func submit(
        _ command: String, args: JSONValue = .object([:]), timeout: Duration? = nil
    ) async throws(HostCommandError) -> JSONValue {
        if Task.isCancelled {
            throw HostCommandError(status: TETHER_ERR_CANCELLED, code: "cancelled", message: "cancelled before '\(command)' was submitted")
        }
        let request: JSONValue = ["command": .string(command), "args": args]
        let bytes = request.encodedBytes(sortingKeys: false)
        let box = SubmitBox()
        let (status, body) = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<(Int32, [UInt8]), Never>) in
                box.install(continuation)
                let context = Unmanaged.passRetained(box)
                let accepted = bytes.withUnsafeBufferPointer { buffer in
                    start(buffer, timeout: timeout, context: context.toOpaque())
                }
                switch accepted {
                case .refused(let status):
                    context.release()  // the callback will not come
                    box.finish(status: status, body: [])
                case .started(let id):
                    if let id, let cancel = table.pointee.cancel_submit, box.setSubmitID(id) {
                        cancel(table.pointee.host_ctx, id)
                    }
                }
            }
        } onCancel: {
            if let id = box.cancelRequested(), let cancel = table.pointee.cancel_submit {
                cancel(table.pointee.host_ctx, id)
            } else if !supportsDeadlines {
                box.finish(status: TETHER_ERR_CANCELLED, body: [])
            }
        }
        let value = (try? JSONValue(parsing: body)) ?? .null
        guard status >= TETHER_OK else {
            throw HostCommandError(
                status: status, code: value["code"]?.stringValue ?? Self.code(forStatus: status),
                message: value["error"]?.stringValue ?? "host refused command '\(command)' (status \(status))",
                detail: value["detail"])
        }
        return value
    }

    private enum Start {
        case started(UInt64?)
        case refused(Int32)
    }

    private func start(_ buffer: UnsafeBufferPointer<UInt8>, timeout: Duration?, context: UnsafeMutableRawPointer) -> Start {
        let ctx = table.pointee.host_ctx
        if let within = table.pointee.submit_within {
            var deadline: UInt64 = 0
            if let timeout {
                let nanoseconds = timeout.components.seconds * 1_000_000_000 + timeout.components.attoseconds / 1_000_000_000
                deadline = PluginRequest.monotonicNow() &+ UInt64(max(1, nanoseconds))
            }
            var id: UInt64 = 0
            let status = within(
                ctx, PluginRequest.linkableID, deadline, buffer.baseAddress, buffer.count, submitCompletion, context, &id)
            return status == TETHER_OK ? .started(id) : .refused(status)
        }
        guard let submit = table.pointee.submit else { return .refused(TETHER_ERR_UNSUPPORTED) }
        let status = submit(ctx, buffer.baseAddress, buffer.count, submitCompletion, context)
        return status == TETHER_OK ? .started(nil) : .refused(status)
    }

    /// The error vocabulary code for an ABI status (when the host sent no body).
    static func code(forStatus status: Int32) -> String {
        switch status {
        case TETHER_ERR_BAD_REQUEST: "bad_request"
        case TETHER_ERR_UNSUPPORTED: "unsupported"
        case TETHER_ERR_CANCELLED: "cancelled"
        case TETHER_ERR_TIMEOUT: "timeout"
        case TETHER_ERR_NOT_FOUND: "not_found"
        case TETHER_ERR_BUSY, TETHER_ERR_SHUTDOWN: "unavailable"
        default: "internal"
        }
    }
}

/// One submit's waiter: resumed exactly once, by the host's callback or (v1.0 host) by the
/// caller's cancellation.
private final class SubmitBox: Sendable {
    private struct State {
        var continuation: CheckedContinuation<(Int32, [UInt8]), Never>?
        var early: (Int32, [UInt8])?
        var done = false
        var submitID: UInt64?
        var cancelled = false
    }

    private let state = Mutex(State())

    func install(_ continuation: CheckedContinuation<(Int32, [UInt8]), Never>) {
        let early = state.withLock { state -> (Int32, [UInt8])? in
            if let early = state.early { return early }
            state.continuation = continuation
            return nil
        }
        if let early { continuation.resume(returning: early) }
    }

    /// Records the submit id; true when cancellation was requested before it was known.
    func setSubmitID(_ id: UInt64) -> Bool {
        state.withLock { state in
            state.submitID = id
            return state.cancelled && !state.done
        }
    }

    /// Marks the submit cancelled; returns its id when already known and still running.
    func cancelRequested() -> UInt64? {
        state.withLock { state in
            state.cancelled = true
            return state.done ? nil : state.submitID
        }
    }

    func finish(status: Int32, body: [UInt8]) {
        let waiter = state.withLock { state -> CheckedContinuation<(Int32, [UInt8]), Never>?? in
            guard !state.done else { return .none }
            state.done = true
            guard let continuation = state.continuation else {
                state.early = (status, body)
                return .some(nil)
            }
            state.continuation = nil
            return .some(continuation)
        }
        if case .some(let continuation?) = waiter { continuation.resume(returning: (status, body)) }
    }
}

private let submitCompletion: tether_complete_fn = { context, status, json, length in
    guard let context else { return }
    let box = Unmanaged<SubmitBox>.fromOpaque(context).takeRetainedValue()
    let body = json.map { Array(UnsafeBufferPointer(start: $0, count: length)) } ?? []
    box.finish(status: status, body: body)
}
