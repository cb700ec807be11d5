/// A linked config activation does not write, and why (reported as a failed step).
public struct SkippedConfiguration: Sendable, Equatable {
    /// The linked config's name.
    public var name: String
    /// Why it is not written (shown in the failed step's detail).
    public var reason: String

    /// Why 802.1x configs are not written: AMT needs a client certificate (EAP-TLS) or an
    /// Enterprise Assistant for them, which this host does not provide.
    public static func ieee8021x(_ name: String) -> SkippedConfiguration {
        SkippedConfiguration(
            name: name, reason: "not written: 802.1x needs a client certificate from an enterprise CA, which Tether does not issue")
    }
}
