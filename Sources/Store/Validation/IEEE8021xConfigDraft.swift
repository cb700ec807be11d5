/// Unvalidated 802.1x config input as a client sent it (RPS `ieee8021xconfigs` body).
public struct IEEE8021xConfigDraft: Sendable, Equatable {
    public var profileName: DraftField<String> = .absent
    public var authenticationProtocol: DraftField<Int> = .absent
    public var serverName: DraftField<String> = .absent
    public var domain: DraftField<String> = .absent
    public var username: DraftField<String> = .absent
    public var password: DraftField<String> = .absent
    public var roamingIdentity: DraftField<String> = .absent
    public var activeInS0: DraftField<Bool> = .absent
    /// `.wrongType` also for numbers that are not integers.
    public var pxeTimeout: DraftField<Int> = .absent
    public var wiredInterface: DraftField<Bool> = .absent
    /// Whether the body carries a `version` (required on update).
    public var hasVersion = false

    public init() {}
}
