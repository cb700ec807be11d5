import AMT
import PluginHost
import Store
import TetherJSON

/// Argument parsing and error mapping shared by the `amt.*`, `wsman.*` and `power.*` commands.
enum AMTCommandSupport {
    /// The lower-case `guid` argument.
    static func guid(_ args: JSONValue, command: String) throws(CommandError) -> String {
        guard let guid = args["guid"]?.stringValue?.lowercased(), !guid.isEmpty else {
            throw CommandError(.badRequest, "\(command) needs {\"guid\": string}")
        }
        return guid
    }

    /// An integer argument (a JSON number or a decimal string).
    static func int(_ args: JSONValue, _ name: String, command: String) throws(CommandError) -> Int {
        if let value = args[name]?.intValue { return value }
        if let text = args[name]?.stringValue, let value = Int(text) { return value }
        throw CommandError(.badRequest, "\(command) needs an integer '\(name)'")
    }

    /// How an AMT failure reaches callers.
    static func commandError(_ error: AMTError) -> CommandError {
        switch error {
        case .deviceNotConnected: CommandError(.notConnected, error.description)
        case .portNotForwarded, .channelUnavailable, .connectionClosed: CommandError(.unavailable, error.description)
        case .noPassword, .authenticationFailed: CommandError(.unauthorized, error.description)
        case .timeout: CommandError(.timeout, error.description)
        case .cancelled: CommandError(.cancelled, error.description)
        case .invalidArgument: CommandError(.badRequest, error.description)
        case .fault(let fault):
            CommandError(.deviceError, error.description, detail: [
                "fault": [
                    "code": .string(fault.code), "subcode": fault.subcode.map(JSONValue.string) ?? .null,
                    "reason": .string(fault.reason), "detail": fault.detail.map(JSONValue.string) ?? .null,
                ]
            ])
        case .replyTooLarge, .badHTTP, .httpStatus, .malformedReply: CommandError(.deviceError, error.description)
        }
    }

    /// Runs `body`, mapping ``AMTError`` to ``CommandError``. With `call` (one WS-Man call of a
    /// command that makes several: `Get`, `Put`), a failure's `detail.call` names it, beside
    /// what ``commandError(_:)`` puts there.
    static func run(call: String? = nil, _ body: () async throws(AMTError) -> JSONValue) async throws(CommandError) -> JSONValue {
        do {
            return try await body()
        } catch {
            let mapped = commandError(error)
            guard let call else { throw mapped }
            var detail = mapped.detail?.objectValue ?? [:]
            detail["call"] = .string(call)
            throw CommandError(mapped.code, mapped.message, detail: .object(detail))
        }
    }

    /// The AMT password of a device from the store (user `admin`).
    static func password(store: TetherStore?, guid: String) async throws(AMTError) -> String {
        guard let store else { throw .noPassword(guid: guid) }
        do {
            let device = try await store.devices.find(guid: guid)
            let secrets = try await store.devices.secrets(guid: guid, tenantId: device.tenantId)
            guard let password = secrets.amtPassword else { throw AMTError.noPassword(guid: guid) }
            return password.reveal()
        } catch let error as AMTError {
            throw error
        } catch {
            throw .noPassword(guid: guid)
        }
    }
}
