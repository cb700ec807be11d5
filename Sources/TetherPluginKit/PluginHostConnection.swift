import CTetherABI

/// The host as a Swift plugin sees it: logging and host commands. Thread-safe.
///
/// `@unchecked Sendable`: wraps the host's `tether_host_api` table, whose functions are all
/// `[thread-safe]` and which stays valid until the instance is destroyed.
public final class PluginHostConnection: @unchecked Sendable {
    public enum LogLevel: Int32, Sendable {
        case trace = 0, debug, info, warning, error
    }

    private let api: UnsafePointer<tether_host_api>

    init(api: UnsafePointer<tether_host_api>) {
        self.api = api
    }

    /// The host's version string.
    public var hostVersion: String {
        api.pointee.host_version.map { String(cString: $0) } ?? "unknown"
    }

    /// Logs `message` under this plugin's id. Never pass secrets.
    public func log(_ level: LogLevel, _ message: String) {
        guard let log = api.pointee.log else { return }
        var text = message
        text.withUTF8 { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                log(api.pointee.host_ctx, level.rawValue, chars.baseAddress, chars.count)
            }
        }
    }

    /// Runs host command `command` with `args` and returns its result.
    public func submit(_ command: String, args: JSONValue = .object([:])) async throws(HostCommandError) -> JSONValue {
        guard let submit = api.pointee.submit else {
            throw HostCommandError(status: -3, code: "unsupported", message: "the host offers no submit function")
        }
        let request: JSONValue = ["command": .string(command), "args": args]
        let bytes = request.encodedBytes()
        let context = api.pointee.host_ctx
        let (status, body) = await withCheckedContinuation { (continuation: CheckedContinuation<(Int32, [UInt8]), Never>) in
            let box = Unmanaged.passRetained(SubmitBox(continuation))
            let accepted = bytes.withUnsafeBufferPointer { buffer in
                submit(context, buffer.baseAddress, buffer.count, submitCompletion, box.toOpaque())
            }
            if accepted != TETHER_OK {
                // Refused: the callback will not come, so reclaim the box here.
                box.takeRetainedValue().continuation.resume(returning: (accepted, []))
            }
        }
        let value = (try? JSONValue(parsing: body)) ?? .null
        guard status >= TETHER_OK else {
            throw HostCommandError(
                status: status, code: value["code"]?.stringValue ?? "status_\(status)",
                message: value["error"]?.stringValue ?? "host refused command '\(command)' (status \(status))",
                detail: value["detail"])
        }
        return value
    }
}

private final class SubmitBox: Sendable {
    let continuation: CheckedContinuation<(Int32, [UInt8]), Never>
    init(_ continuation: CheckedContinuation<(Int32, [UInt8]), Never>) { self.continuation = continuation }
}

private let submitCompletion: tether_complete_fn = { context, status, json, length in
    guard let context else { return }
    let box = Unmanaged<SubmitBox>.fromOpaque(context).takeRetainedValue()
    let body = json.map { Array(UnsafeBufferPointer(start: $0, count: length)) } ?? []
    box.continuation.resume(returning: (status, body))
}
