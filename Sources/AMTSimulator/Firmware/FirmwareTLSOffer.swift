import TetherTLS

/// The TLS a device of a given AMT generation offers on its CIRA connection. A suggestion for
/// the simulator's ``DeviceTLSOptions`` (older firmware only speaks TLS 1.0/1.1 with RSA-CBC).
public struct FirmwareTLSOffer: Sendable, Equatable {
    /// Lowest protocol version offered.
    public var minimumVersion: TLSVersion
    /// Highest protocol version offered; `nil` = whatever the TLS library supports.
    public var maximumVersion: TLSVersion?
    /// OpenSSL cipher list offered (TLS ≤ 1.2); `nil` = the library's legacy profile list.
    public var cipherList: String?

    /// Creates an offer.
    public init(minimumVersion: TLSVersion, maximumVersion: TLSVersion? = nil, cipherList: String? = nil) {
        self.minimumVersion = minimumVersion
        self.maximumVersion = maximumVersion
        self.cipherList = cipherList
    }

    /// Writes this offer into a device's TLS options (trust settings are left alone).
    public func apply(to options: inout DeviceTLSOptions) {
        options.minimumVersion = minimumVersion
        options.maximumVersion = maximumVersion
        options.cipherList = cipherList
    }
}
