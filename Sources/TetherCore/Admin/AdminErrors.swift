import Foundation
import PluginHost
import Store
import TetherJSON

/// Maps validation and store failures to `CommandError`s a front end can render like Open AMT.
///
/// Conventions (see README "Administration"):
/// - validation failures: `.badRequest`, `detail` = `[{"field", "message"}…]` (the peer's 400 `errors`);
/// - every other failure: `detail` = `{"httpStatus": <the peer's status>, "error": <the peer's error name>}`,
///   plus `"current"` (the stored record) and `"version"` for stale-version conflicts (peer: 409/412
///   with the stored record as body).
enum AdminErrors {
    /// A validation failure. The message lists every field error so CLI users see them all.
    static func validation(_ errors: [FieldError], what: String) -> CommandError {
        let text = errors.map { "\($0.field): \($0.message)" }.joined(separator: "; ")
        return CommandError(.badRequest, "invalid \(what): \(text)", detail: .array(errors.map(\.json)))
    }

    static func peer(_ code: CommandError.Code, _ message: String, status: Int, error: String) -> CommandError {
        CommandError(code, message, detail: ["httpStatus": .number(status), "error": .string(error)])
    }

    /// A stale or missing `version`: names the current version and carries the stored record.
    static func staleVersion(_ message: String, current: JSONValue, version: Int) -> CommandError {
        CommandError(
            .conflict, message,
            detail: ["httpStatus": 409, "error": "Conflict", "version": .string(String(version)), "current": current])
    }

    /// Maps a repository error. Conflicts are handled by the callers (they need the current record).
    static func store(_ error: any Error) -> CommandError {
        if let error = error as? CommandError { return error }
        guard let error = error as? StoreError else {
            return CommandError(.internal, "store operation failed: \(error)")
        }
        switch error {
        case .duplicate:
            return peer(.conflict, error.message, status: 400, error: "Unique key violation")
        case .notFound(let entity, _):
            return peer(.notFound, error.message, status: 404, error: entity == .device ? "NOT FOUND" : "Not Found")
        case .conflict(_, _, let version):
            return CommandError(.conflict, error.message, detail: ["httpStatus": 409, "error": "Conflict", "version": .string(String(version))])
        case .inUse:
            return peer(.conflict, error.message, status: 400, error: "Foreign key violation")
        case .invalidReference:
            return peer(.badRequest, error.message, status: 400, error: "Foreign key constraint violation")
        case .invalidArgument(let text):
            return peer(.badRequest, text, status: 400, error: "Bad Request")
        case .corruptRecord, .database:
            return peer(.internal, error.message, status: 500, error: "Internal Server Error")
        }
    }
}
