import Logging
import TetherAsync
import TetherJSON

/// The `tether_reply *` of one asynchronous typed C command: the plugin answers through it
/// exactly once, from any thread (`reply` / `reply_error` of the C helpers). An answer after the
/// caller stopped waiting (deadline, cancellation) or a second answer is dropped and logged.
/// The plugin holds one reference until it answers. Thread-safe.
final class CCommandReply: Sendable {
    let command: String
    let pluginID: String
    private let logger: Logger
    private let first = FirstResult<JSONValue, CommandError>()

    init(command: String, pluginID: String, logger: Logger) {
        self.command = command
        self.pluginID = pluginID
        self.logger = logger
    }

    /// Waits for the plugin's answer (a cancelled caller stops waiting at once).
    func value() async -> Result<JSONValue, CommandError> {
        await withTaskCancellationHandler {
            await withCheckedContinuation { first.install($0) }
        } onCancel: {
            first.resume(.failure(CommandError(.cancelled, "\(command) was cancelled")))
        }
    }

    /// The plugin's answer. Returns false (and logs) when nobody waits for it any more.
    @discardableResult
    func answer(_ result: Result<JSONValue, CommandError>) -> Bool {
        guard first.resume(result) else {
            logger.warning(
                "dropped the answer of a typed C command nobody waits for (late or repeated)",
                metadata: ["plugin": "\(pluginID)", "command": "\(command)"])
            return false
        }
        return true
    }

    func retainedPointer() -> OpaquePointer { OpaquePointer(Unmanaged.passRetained(self).toOpaque()) }

    /// Takes back the plugin's reference: an answer consumes the handle.
    static func consume(_ pointer: OpaquePointer?) -> CCommandReply? {
        pointer.map { Unmanaged<CCommandReply>.fromOpaque(UnsafeRawPointer($0)).takeRetainedValue() }
    }
}
