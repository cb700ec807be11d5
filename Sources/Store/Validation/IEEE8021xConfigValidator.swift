/// Validates 802.1x config input with RPS's rules and messages (shared/reference/rps.md §5.2; RPS
/// `routes/admin/ieee8021x/ieee8021xValidator.ts`), returning every field error in RPS's order.
/// Tether adds type and length checks RPS lacks for the optional strings (each ≤ 255 characters).
public struct IEEE8021xConfigValidator: Sendable {
    public static let pxeTimeoutRange = 0...86400
    public static let maximumTextLength = 255

    public init() {}

    /// The message naming the EAP methods allowed on the interface.
    public static func protocolMessage(wired: Bool) -> String {
        "Authentication protocol must be one of "
            + (wired ? EAPMethod.wired : EAPMethod.wireless).map { "\($0.rawValue):\($0.label)" }.joined(separator: ", ")
    }

    /// Validates a create (or, with `isUpdate`, an update) body.
    public func validate(_ draft: IEEE8021xConfigDraft, isUpdate: Bool = false) -> [FieldError] {
        var errors: [FieldError] = []
        func fail(_ field: String, _ message: String) { errors.append(FieldError(field: field, message: message)) }

        errors += NameRules.alphanumericNameErrors(draft.profileName.value ?? "", noun: "802.1x profile")

        switch draft.wiredInterface {
        case .absent: fail("wiredInterface", "Wired interface flag is required")
        case .wrongType: fail("wiredInterface", "Wired interface flag must be a boolean")
        case .value: break
        }
        let wired = draft.wiredInterface.value ?? false

        if draft.authenticationProtocol.isAbsent { fail("authenticationProtocol", "Authentication protocol is required") }
        let method = draft.authenticationProtocol.value.flatMap(EAPMethod.init(rawValue:))
        if method == nil || !(wired ? EAPMethod.wired : EAPMethod.wireless).contains(method!) {
            fail("authenticationProtocol", Self.protocolMessage(wired: wired))
        }

        switch draft.pxeTimeout {
        case .absent where wired:
            fail("pxeTimeout", "PXE Timeout is required")
            fail("pxeTimeout", "PXE Timeout must be number")
        case .absent: break
        case .wrongType: fail("pxeTimeout", "PXE Timeout must be number")
        case .value(let seconds):
            if !Self.pxeTimeoutRange.contains(seconds) { fail("pxeTimeout", "PXE Timeout value should be 0 - 86400") }
        }

        for (field, value) in [
            ("serverName", draft.serverName), ("domain", draft.domain), ("username", draft.username),
            ("password", draft.password), ("roamingIdentity", draft.roamingIdentity),
        ] {
            switch value {
            case .wrongType: fail(field, "\(field) must be a string")
            case .value(let text) where text.count > Self.maximumTextLength:
                fail(field, "\(field) must be at most \(Self.maximumTextLength) characters")
            default: break
            }
        }
        if case .wrongType = draft.activeInS0 { fail("activeInS0", "activeInS0 must be a boolean") }

        if isUpdate, !draft.hasVersion { fail("version", "Version is required to patch/update a record.") }
        return errors
    }
}
