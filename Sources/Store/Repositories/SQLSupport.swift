import Foundation
import GRDB

/// Small helpers shared by the repositories. All SQL uses bound arguments; nothing user-supplied is
/// ever spliced into SQL text.
enum SQLSupport {
    static func isUniqueViolation(_ error: any Error) -> Bool {
        guard let error = error as? DatabaseError else { return false }
        return error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE
            || error.extendedResultCode == .SQLITE_CONSTRAINT_PRIMARYKEY
    }

    static func isForeignKeyViolation(_ error: any Error) -> Bool {
        guard let error = error as? DatabaseError else { return false }
        return error.extendedResultCode == .SQLITE_CONSTRAINT_FOREIGNKEY
    }

    static func encodeTags(_ tags: [String]) throws -> String {
        let data = try JSONEncoder().encode(tags)
        return String(decoding: data, as: UTF8.self)
    }

    static func decodeTags(_ text: String?, entity: StoreEntity, name: String) throws -> [String] {
        guard let text, !text.isEmpty else { return [] }
        do {
            return try JSONDecoder().decode([String].self, from: Data(text.utf8))
        } catch {
            throw StoreError.corruptRecord(entity, name: name, detail: "tags are not a JSON string array")
        }
    }

    static func date(_ seconds: Double?) -> Date? {
        seconds.map { Date(timeIntervalSince1970: $0) }
    }

    static func seconds(_ date: Date?) -> Double? {
        date?.timeIntervalSince1970
    }

    /// Appends `column = ?` (or `= NULL`) for a secret change; `.keep` appends nothing.
    static func appendSecret(
        _ change: SecretChange, column: String, context: String, sealer: SecretSealer,
        assignments: inout [String], arguments: inout StatementArguments
    ) throws {
        switch change {
        case .keep:
            return
        case .clear:
            assignments.append("\(column) = NULL")
        case let .set(secret):
            assignments.append("\(column) = ?")
            arguments += [try sealer.seal(secret, context: context)]
        }
    }

    static func sealOptional(_ secret: Secret?, context: String, sealer: SecretSealer) throws -> Data? {
        try secret.map { try sealer.seal($0, context: context) }
    }

    static func unsealOptional(_ data: Data?, context: String, sealer: SecretSealer) throws -> Secret? {
        try data.map { try sealer.unsealSecret($0, context: context) }
    }
}
