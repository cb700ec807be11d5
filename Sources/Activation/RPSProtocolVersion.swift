/// RPS's protocol version rule (shared/reference/rps.md §6.2): a client's `protocolVersion` is accepted when it
/// has the server's major version and either the server's minor with a revision no higher than
/// the server's, or a minor no higher than the server's.
public enum RPSProtocolVersion {
    /// The version this host speaks.
    public static let current = "4.0.0"

    /// Whether a client's version is compatible with `server` (default ``current``). A version
    /// that is not `major.minor.revision` of integers is not compatible.
    public static func isCompatible(_ client: String, server: String = current) -> Bool {
        guard let c = parse(client), let s = parse(server) else { return false }
        guard c.major == s.major else { return false }
        if c.minor == s.minor { return s.revision >= c.revision }
        return s.minor >= c.minor
    }

    static func parse(_ text: String) -> (major: Int, minor: Int, revision: Int)? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty && $0.count <= 6 && $0.allSatisfy(\.isASCII) }),
              let major = Int(parts[0]), let minor = Int(parts[1]), let revision = Int(parts[2]),
              major >= 0, minor >= 0, revision >= 0
        else { return nil }
        return (major, minor, revision)
    }
}
