import Activation

/// Turns what activation wrote into a simulated device's firmware into the configuration its
/// CIRA client dials with — the MPS address, port, user and password from `AddMpServer`, and
/// TLS verified against the trusted root and the CN written — so that a device connects with
/// exactly what it was given (no MPS credentials on the command line).
public enum ProvisionedCIRA {
    /// The CIRA configuration written into `firmware`, or `nil` when no complete CIRA
    /// configuration (root, MPS, periodic policy linked to it) is there.
    public static func configuration(for firmware: AMTFirmware) -> SimulatedDeviceConfiguration? {
        guard let target = firmware.provisioning?.ciraTarget else { return nil }
        var configuration = SimulatedDeviceConfiguration(
            uuid: firmware.configuration.uuid, serverHost: target.server.address, serverPort: target.server.port,
            username: target.server.username, password: target.server.password)
        configuration.tls.trustedRootPEM = pem(derBase64: target.rootCertificate)
        configuration.tls.commonName = target.server.commonName ?? target.server.address
        return configuration
    }

    /// Base64 DER → PEM with 64-character lines.
    static func pem(derBase64: String) -> String {
        let compact = derBase64.filter { !$0.isWhitespace }
        var lines: [Substring] = []
        var index = compact.startIndex
        while index < compact.endIndex {
            let end = compact.index(index, offsetBy: 64, limitedBy: compact.endIndex) ?? compact.endIndex
            lines.append(compact[index..<end])
            index = end
        }
        return "-----BEGIN CERTIFICATE-----\n" + lines.joined(separator: "\n") + "\n-----END CERTIFICATE-----\n"
    }
}
