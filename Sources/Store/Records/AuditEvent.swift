import Foundation

/// An append-only audit record ("who did what to which object").
///
/// `detail` is free text and must never contain secrets.
public struct AuditEvent: Sendable, Equatable {
    /// Assigned by the store; nil before `append`.
    public var id: Int64?
    public var time: Date
    public var tenantId: String
    public var actor: String
    public var action: String
    public var target: String
    public var detail: String?

    public init(
        id: Int64? = nil, time: Date = Date(), tenantId: String = "", actor: String,
        action: String, target: String, detail: String? = nil
    ) {
        self.id = id
        self.time = time
        self.tenantId = tenantId
        self.actor = actor
        self.action = action
        self.target = target
        self.detail = detail
    }
}
