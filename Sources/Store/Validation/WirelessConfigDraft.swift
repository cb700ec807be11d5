/// Unvalidated Wi-Fi profile input as a client sent it (RPS `wirelessconfigs` body).
public struct WirelessConfigDraft: Sendable, Equatable {
    public var profileName: DraftField<String> = .absent
    public var authenticationMethod: DraftField<Int> = .absent
    public var encryptionMethod: DraftField<Int> = .absent
    public var ssid: DraftField<String> = .absent
    public var pskPassphrase: DraftField<String> = .absent
    public var pskValue: DraftField<Int> = .absent
    /// Each element is nil where the array holds something other than an integer.
    public var linkPolicy: DraftField<[Int?]> = .absent
    public var ieee8021xProfileName: DraftField<String> = .absent
    /// Whether the body carries a `version` (required on update).
    public var hasVersion = false

    public init() {}
}
