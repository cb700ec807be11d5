import Foundation

/// The kinds of records the store keeps. Used to phrase error messages.
public enum StoreEntity: String, Sendable, Equatable {
    case ciraConfig
    case profile
    case domain
    case device
    case auditEvent
    case wirelessConfig
    case ieee8021xConfig

    /// The noun used in "not found" messages (RPS: `<Type> profile <name> Not Found`).
    var notFoundNoun: String {
        switch self {
        case .ciraConfig: return "CIRA profile"
        case .profile: return "AMT profile"
        case .domain: return "Domain profile"
        case .device: return "Device ID"
        case .auditEvent: return "Audit event"
        case .wirelessConfig: return "Wireless profile"
        case .ieee8021xConfig: return "802.1x profile"
        }
    }
}

/// Errors thrown by the store's repositories and by `Database`.
///
/// Every case carries enough context for a user-facing `message`; none ever carries a secret.
public enum StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A record with the same key (name, suffix or guid; case-insensitive per tenant) already exists.
    case duplicate(StoreEntity, name: String)
    /// No record with this key exists (for the caller's tenant).
    case notFound(StoreEntity, name: String)
    /// The `version` sent with an update does not match the stored one. `currentVersion` is the
    /// stored version at the time of the failed update.
    case conflict(StoreEntity, name: String, currentVersion: Int)
    /// The record cannot be deleted because another record references it.
    case inUse(StoreEntity, name: String, referencedBy: String)
    /// The record references a record that does not exist (e.g. a profile's `ciraConfigName`).
    case invalidReference(StoreEntity, name: String, reference: String)
    /// A caller-supplied argument is invalid (e.g. negative paging values).
    case invalidArgument(String)
    /// The stored data could not be decoded (corrupt row, unknown enum value).
    case corruptRecord(StoreEntity, name: String, detail: String)
    /// The database could not be opened or migrated, or a query failed unexpectedly.
    case database(String)

    /// A user-facing message. Texts follow RPS/MPS where those exist.
    public var message: String {
        switch self {
        case let .duplicate(entity, name):
            switch entity {
            case .ciraConfig: return "CIRA Config \(name) already exists."
            case .profile: return "AMT profile \(name) already exists"
            case .domain: return "Domain \(name) ID or Suffix already exists"
            case .device: return "Device ID: \(name) already exists"
            case .auditEvent: return "Audit event \(name) already exists"
            case .wirelessConfig: return "Wireless profile \(name) already exists"
            case .ieee8021xConfig: return "802.1x config: \(name) already exists"
            }
        case let .notFound(entity, name):
            if entity == .device { return "Device ID \(name) not found" }
            return "\(entity.notFoundNoun) \(name) Not Found"
        case let .conflict(entity, name, currentVersion):
            return "\(entity.notFoundNoun) \(name) was changed by someone else (current version \(currentVersion)); reload and retry"
        case let .inUse(entity, name, referencedBy):
            if entity == .ciraConfig { return "CIRA Config: \(name) is associated with an AMT profile" }
            if entity == .wirelessConfig { return "Wireless profile: \(name) is associated with an AMT Profile." }
            if entity == .ieee8021xConfig { return "802.1x profile: \(name) is associated with \(referencedBy)." }
            return "\(entity.notFoundNoun) \(name) is in use by \(referencedBy)"
        case let .invalidReference(_, _, reference):
            return "Referenced constraint \(reference) doesn't exist"
        case let .invalidArgument(text):
            return text
        case let .corruptRecord(entity, name, detail):
            return "Stored \(entity.notFoundNoun) \(name) is unreadable: \(detail)"
        case let .database(text):
            return "Database error: \(text)"
        }
    }

    public var description: String { message }
}
