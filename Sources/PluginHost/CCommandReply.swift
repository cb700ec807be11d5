import Logging
import Synchronization
import TetherJSON

/// The `tether_reply *` of one asynchronous typed C command: the plugin answers through it
/// exactly once, from any thread (`reply` / `reply_error` of the C helpers). An answer after the
/// caller stopped waiting (deadline, cancellation) or a second answer is dropped and logged.
/// The plugin holds one reference until it answers. Thread-safe.
final class CCommandReply: Sendable {
    private struct State {
        var continuation: CheckedContinuation<Result<JSONValue, CommandError>, Never>?
        var early: Result<JSONValue, CommandError>?
        var finished = false
    }

    let command: String
    let pluginID: String
    private let logger: Logger
    private let state = Mutex(State())

    init(command: String, pluginID: String, logger: Logger) {
        self.command = command
        self.pluginID = pluginID
        self.logger = logger
    }

    /// Waits for the plugin's answer (a cancelled caller stops waiting at once).
    func value() async -> Result<JSONValue, CommandError> {
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let early = state.withLock { state -> Result<JSONValue, CommandError>? in
                    if let early = state.early { return early }
                    if state.finished { return .failure(CommandError(.cancelled, "\(command) was cancelled")) }
                    state.continuation = continuation
                    return nil
                }
                if let early { continuation.resume(returning: early) }
            }
        } onCancel: {
            let waiter = state.withLock { state -> CheckedContinuation<Result<JSONValue, CommandError>, Never>? in
                state.finished = true
                defer { state.continuation = nil }
                return state.continuation
            }
            waiter?.resume(returning: .failure(CommandError(.cancelled, "\(command) was cancelled")))
        }
    }

    /// The plugin's answer. Returns false (and logs) when nobody waits for it any more.
    @discardableResult
    func answer(_ result: Result<JSONValue, CommandError>) -> Bool {
        let (waiter, accepted) = state.withLock { state -> (CheckedContinuation<Result<JSONValue, CommandError>, Never>?, Bool) in
            guard !state.finished, state.early == nil else { return (nil, false) }
            guard let continuation = state.continuation else {
                state.early = result
                return (nil, true)
            }
            state.finished = true
            state.continuation = nil
            return (continuation, true)
        }
        guard accepted else {
            logger.warning(
                "dropped the answer of a typed C command nobody waits for (late or repeated)",
                metadata: ["plugin": "\(pluginID)", "command": "\(command)"])
            return false
        }
        waiter?.resume(returning: result)
        return true
    }

    func retainedPointer() -> OpaquePointer { OpaquePointer(Unmanaged.passRetained(self).toOpaque()) }

    /// Takes back the plugin's reference: an answer consumes the handle.
    static func consume(_ pointer: OpaquePointer?) -> CCommandReply? {
        pointer.map { Unmanaged<CCommandReply>.fromOpaque(UnsafeRawPointer($0)).takeRetainedValue() }
    }
}
