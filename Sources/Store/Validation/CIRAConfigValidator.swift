import COpenSSL
import Foundation

/// Validates CIRA config input with RPS's rules and messages (shared/reference/rps.md §1.3, §1.4), fixing RPS's
/// evident bugs (each noted where it applies). Returns every field error, in RPS's order.
public struct CIRAConfigValidator: Sendable {
    /// Whether `mpsRootCertificate` must be base64 DER that parses as an X.509 certificate.
    /// RPS does not check (its tests use the literal "rootcert"), but AMT installs this value as a
    /// trusted root, so a garbage value only fails later, on the device. Default: true.
    public var requireParsableRootCertificate: Bool
    /// AMT's limit for the MPS password (RPS does not validate the static password at all).
    public static let maximumPasswordLength = 16

    public init(requireParsableRootCertificate: Bool = true) {
        self.requireParsableRootCertificate = requireParsableRootCertificate
    }

    /// Validates a create (POST) body: every required field present and well-formed.
    public func validateCreate(_ draft: CIRAConfigDraft) -> [FieldError] {
        var errors: [FieldError] = []
        validateName(draft.configName, into: &errors)

        let format = draft.serverAddressFormat.flatMap(ServerAddressFormat.init(rawValue:))
        if draft.serverAddressFormat == nil {
            errors.append(FieldError(field: "serverAddressFormat", message: "MPS server address format is required"))
            errors.append(FieldError(field: "serverAddressFormat", message: "MPS server address format should be either 3(IPV4) , 4(IPV6) or 201(FQDN)"))
        } else if format == nil {
            errors.append(FieldError(field: "serverAddressFormat", message: "MPS server address format should be either 3(IPV4) , 4(IPV6) or 201(FQDN)"))
        }

        if let address = nonEmpty(draft.mpsServerAddress) {
            validateAddress(address, rawFormat: draft.serverAddressFormat, format: format, commonName: draft.commonName, into: &errors)
        } else {
            errors.append(FieldError(field: "mpsServerAddress", message: "MPS server address is required"))
        }

        if let port = draft.mpsPort {
            validatePort(port, into: &errors)
        } else {
            errors.append(FieldError(field: "mpsPort", message: "MPS port is required"))
            errors.append(FieldError(field: "mpsPort", message: "MPS Port value should range between 1024 and 49151"))
        }

        if let username = nonEmpty(draft.username) {
            validateUsername(username, into: &errors)
        } else {
            errors.append(FieldError(field: "username", message: "MPS user name is required"))
            errors.append(FieldError(field: "username", message: "MPS user name should be alphanumeric"))
            errors.append(FieldError(field: "username", message: "MPS user name length should be in between 5 to 16"))
        }

        if let commonName = nonEmpty(draft.commonName) {
            validateCommonName(commonName, format: format, into: &errors)
        }

        if let auth = draft.authMethod {
            validateAuthMethod(auth, message: "Authentication method should be either 1 (Mutual Auth) or 2 (username and password)", into: &errors)
        } else {
            // Like the port and user name rules, a missing value also fails the value rule
            // (shared/reference/rps.md §8.2: the peer reports both messages, "required" first).
            errors.append(FieldError(field: "authMethod", message: "Authentication method is required"))
            errors.append(FieldError(field: "authMethod", message: "Authentication method should be either 1 (Mutual Auth) or 2 (username and password)"))
        }

        if let root = nonEmpty(draft.mpsRootCertificate) {
            validateRootCertificate(root, into: &errors)
        } else {
            errors.append(FieldError(field: "mpsRootCertificate", message: "MPS public root certificate is required"))
        }

        validatePassword(draft.password, into: &errors)
        return errors
    }

    /// Validates an update (PATCH) body: `configName` required, other fields checked when present.
    /// Differences from RPS kept deliberately: the port range is inclusive (RPS is exclusive on
    /// update only, which rejects the 1024/49151 it accepted on create).
    public func validateUpdate(_ draft: CIRAConfigDraft) -> [FieldError] {
        var errors: [FieldError] = []
        validateName(draft.configName, into: &errors)

        let format = draft.serverAddressFormat.flatMap(ServerAddressFormat.init(rawValue:))
        if draft.serverAddressFormat != nil {
            if format == nil {
                errors.append(FieldError(field: "serverAddressFormat", message: "MPS server address format 3(IPV4) , 4(IPV6) or 201(FQDN)"))
            }
            if nonEmpty(draft.mpsServerAddress) == nil {
                errors.append(FieldError(field: "serverAddressFormat", message: "Server address is required to update"))
            }
        }
        if let address = nonEmpty(draft.mpsServerAddress) {
            validateAddress(address, rawFormat: draft.serverAddressFormat, format: format, commonName: draft.commonName, into: &errors)
        }
        if let port = draft.mpsPort { validatePort(port, into: &errors) }
        if let username = draft.username { validateUsername(username, into: &errors) }
        if let commonName = nonEmpty(draft.commonName), format != .fqdn {
            validateCommonName(commonName, format: format, into: &errors)
            if draft.serverAddressFormat == nil || nonEmpty(draft.mpsServerAddress) == nil {
                errors.append(FieldError(field: "commonName", message: "serverAddressFormat and mpsServerAddress is required"))
            }
        }
        if let auth = draft.authMethod {
            validateAuthMethod(auth, message: "Authentication method accepts either 1 - Mutual Auth or 2 -username/password)", into: &errors)
        }
        if let root = draft.mpsRootCertificate {
            if root.isEmpty {
                errors.append(FieldError(field: "mpsRootCertificate", message: "MPS public root certificate is required"))
            } else {
                validateRootCertificate(root, into: &errors)
            }
        }
        validatePassword(draft.password, into: &errors)
        return errors
    }

    // MARK: - Rules

    private func validateName(_ name: String?, into errors: inout [FieldError]) {
        guard let name = nonEmpty(name) else {
            errors.append(FieldError(field: "configName", message: "CIRA profile name is required"))
            errors.append(FieldError(field: "configName", message: "CIRA profile name accepts letters, numbers, special characters and no spaces"))
            return
        }
        if !NameRules.hasValidCharacters(name, specials: NameRules.ciraConfigNameSpecials) {
            errors.append(FieldError(field: "configName", message: "CIRA profile name accepts letters, numbers, special characters and no spaces"))
        }
        if name.count > NameRules.maximumLength {
            errors.append(FieldError(field: "configName", message: "CIRA profile name should not exceed \(NameRules.maximumLength) characters"))
        }
    }

    private func validateAddress(
        _ address: String, rawFormat: Int?, format: ServerAddressFormat?, commonName: String?,
        into errors: inout [FieldError]
    ) {
        guard rawFormat != nil else {
            errors.append(FieldError(field: "mpsServerAddress", message: "serverAddressFormat is required"))
            return
        }
        switch format {
        case .ipv4:
            if !AddressRules.isIPv4(address) {
                errors.append(FieldError(field: "mpsServerAddress", message: "serverAddressFormat 3 requires IPV4 server address"))
            } else if nonEmpty(commonName) == nil {
                errors.append(FieldError(field: "mpsServerAddress", message: "commonName is required when serverAddressFormat is 3"))
            }
        case .ipv6:
            if !AddressRules.isIPv6(address) {
                errors.append(FieldError(field: "mpsServerAddress", message: "serverAddressFormat 4 requires IPV6 server address"))
            }
        case .fqdn:
            // RPS also accepts an IPv4 string for format 201; kept.
            if !AddressRules.isFQDN(address) && !AddressRules.isIPv4(address) {
                errors.append(FieldError(field: "mpsServerAddress", message: "serverAddressFormat 201 requires FQDN server address"))
            }
        case nil:
            break  // already reported on serverAddressFormat
        }
    }

    private func validatePort(_ port: Int, into errors: inout [FieldError]) {
        if !(1024...49151).contains(port) {
            errors.append(FieldError(field: "mpsPort", message: "MPS Port value should range between 1024 and 49151"))
        }
    }

    private func validateUsername(_ username: String, into errors: inout [FieldError]) {
        if username.isEmpty || !username.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) {
            errors.append(FieldError(field: "username", message: "MPS user name should be alphanumeric"))
        }
        if !(5...16).contains(username.count) {
            errors.append(FieldError(field: "username", message: "MPS user name length should be in between 5 to 16"))
        }
    }

    /// The CN matters only for IP addresses (AMT checks the FQDN itself otherwise).
    /// RPS demands an IPv4-looking CN for IPv6 configs too; here an IPv6 config may use either family.
    private func validateCommonName(_ commonName: String, format: ServerAddressFormat?, into errors: inout [FieldError]) {
        switch format {
        case .fqdn:
            return
        case .ipv6:
            if !AddressRules.isIPv4(commonName) && !AddressRules.isIPv6(commonName) {
                errors.append(FieldError(field: "commonName", message: "Cert. Hostname(CN) should be an IP address."))
            }
        case .ipv4, nil:
            if !AddressRules.isIPv4(commonName) {
                errors.append(FieldError(field: "commonName", message: "Cert. Hostname(CN) should be an IP address."))
            }
        }
    }

    private func validateAuthMethod(_ auth: Int, message: String, into errors: inout [FieldError]) {
        if CIRAAuthMethod(rawValue: auth) == nil {
            errors.append(FieldError(field: "authMethod", message: message))
        }
    }

    private func validateRootCertificate(_ base64: String, into errors: inout [FieldError]) {
        guard requireParsableRootCertificate else {
            // Peer-compatible mode: RPS stores any string (its own tests send "rootcert"); Tether
            // at least insists on base64 text, which AMT's AddTrustedRootCertificate needs.
            let allowed = base64.utf8.allSatisfy { byte in
                (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39)
                    || byte == 0x2B || byte == 0x2F || byte == 0x3D || byte == 0x0A || byte == 0x0D
            }
            if !allowed {
                errors.append(FieldError(field: "mpsRootCertificate", message: "MPS public root certificate must be base64 (DER, without PEM armour)"))
            }
            return
        }
        if !Self.isDERCertificate(base64: base64) {
            errors.append(FieldError(field: "mpsRootCertificate", message: "MPS public root certificate must be a base64-encoded DER certificate"))
        }
    }

    /// RPS does not validate the static password; AMT accepts at most 16 characters.
    private func validatePassword(_ password: String?, into errors: inout [FieldError]) {
        guard let password else { return }
        if password.isEmpty || password.count > Self.maximumPasswordLength {
            errors.append(FieldError(field: "password", message: "MPS password length should be in between 1 to \(Self.maximumPasswordLength)"))
        }
    }

    private func nonEmpty(_ text: String?) -> String? {
        guard let text, !text.isEmpty else { return nil }
        return text
    }

    /// True if `base64` decodes to DER that OpenSSL parses as an X.509 certificate.
    static func isDERCertificate(base64: String) -> Bool {
        guard let der = Data(base64Encoded: base64, options: .ignoreUnknownCharacters), !der.isEmpty else { return false }
        return der.withUnsafeBytes { raw -> Bool in
            guard let base = raw.bindMemory(to: UInt8.self).baseAddress else { return false }
            var pointer: UnsafePointer<UInt8>? = base
            guard let cert = d2i_X509(nil, &pointer, raw.count) else {
                ERR_clear_error()
                return false
            }
            X509_free(cert)
            return true
        }
    }
}
