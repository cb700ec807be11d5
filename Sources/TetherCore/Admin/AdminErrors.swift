import Foundation
import PluginHost
import Store
import TetherJSON

/// Maps validation and store failures to neutral `CommandError`s (no HTTP statuses, no front
/// end's wording: the REST plugin maps them to Open AMT's answers).
///
/// Conventions (see README "Administration" and the header's ERROR VOCABULARY):
/// - validation failures: `.badRequest`, `detail` = `[{"field", "message"}…]`;
/// - store failures: the code, plus `detail.reason` where the code alone does not say enough:
///   `duplicate`, `in_use` (`.conflict`), `invalid_reference` (`.badRequest`), `stale_version`
///   (`.conflict`, with `version` and, when known, `current`: the stored record); `detail.entity`
///   names the kind of record (`device`, `profile`, …) for `.notFound`.
enum AdminErrors {
    /// A validation failure. The message lists every field error so CLI users see them all.
    static func validation(_ errors: [FieldError], what: String) -> CommandError {
        let text = errors.map { "\($0.field): \($0.message)" }.joined(separator: "; ")
        return CommandError(.badRequest, "invalid \(what): \(text)", detail: .array(errors.map(\.json)))
    }

    /// A failure whose code needs a reason to be told apart (`duplicate`, `in_use`, …).
    static func reason(_ code: CommandError.Code, _ message: String, _ reason: String) -> CommandError {
        CommandError(code, message, detail: ["reason": .string(reason)])
    }

    /// A stale or missing `version`: names the current version and carries the stored record.
    static func staleVersion(_ message: String, current: JSONValue, version: Int) -> CommandError {
        CommandError(
            .conflict, message, detail: ["reason": "stale_version", "version": .string(String(version)), "current": current])
    }

    /// Maps a repository error. Conflicts are handled by the callers (they need the current record).
    static func store(_ error: any Error) -> CommandError {
        if let error = error as? CommandError { return error }
        guard let error = error as? StoreError else {
            return CommandError(.internal, "store operation failed: \(error)")
        }
        switch error {
        case .duplicate:
            return reason(.conflict, error.message, "duplicate")
        case .notFound(let entity, _):
            return CommandError(.notFound, error.message, detail: ["entity": .string(entity.rawValue)])
        case .conflict(_, _, let version):
            return CommandError(.conflict, error.message, detail: ["reason": "stale_version", "version": .string(String(version))])
        case .inUse:
            return reason(.conflict, error.message, "in_use")
        case .invalidReference:
            return reason(.badRequest, error.message, "invalid_reference")
        case .invalidArgument(let text):
            return CommandError(.badRequest, text)
        case .corruptRecord, .database:
            return CommandError(.internal, error.message)
        }
    }
}
