import Foundation

/// The device description RPC sends with `activate`, `deactivate` and `maintenance`
/// (shared/reference/rps.md §6.4): base64 of this JSON object in the envelope's `payload`.
public struct DevicePayload: Sendable, Equatable, Codable {
    /// AMT firmware version (`"16.1.25"`).
    public var ver: String
    /// Firmware build number.
    public var build: String
    /// Firmware SKU.
    public var sku: String?
    /// Decoded feature string.
    public var features: String?
    /// The AMT UUID, 36 characters.
    public var uuid: String
    /// `$$OsAdmin` before activation.
    public var username: String?
    /// The local account password before activation; the AMT admin password afterwards.
    public var password: String?
    /// 0 pre-provisioning, 1 CCM, 2 ACM.
    public var currentMode: Int?
    /// The OS host name.
    public var hostname: String?
    /// The DNS suffix (not a full name, despite the field name).
    public var fqdn: String?
    /// `"RPC"`.
    public var client: String
    /// Lower-case hex hashes of AMT's trusted root certificates.
    public var certHashes: [String]?
    /// A friendly name (`-name`).
    public var friendlyName: String?
    /// `{hostname, dnsSuffixOS}` (used by host name sync).
    public var hostnameInfo: HostnameInfo?
    /// The OS's wired address (used by `syncip` and stored by `syncdeviceinfo`).
    public var ipConfiguration: IPConfiguration?

    /// `ipConfiguration` as RPC sends it.
    public struct IPConfiguration: Sendable, Equatable, Codable {
        public var dhcp: Bool?
        public var `static`: Bool?
        public var ipsync: Bool?
        public var ipAddress: String?
        public var netmask: String?
        public var gateway: String?
        public var primaryDns: String?
        public var secondaryDns: String?

        public init(
            dhcp: Bool? = nil, static isStatic: Bool? = nil, ipsync: Bool? = nil, ipAddress: String? = nil, netmask: String? = nil,
            gateway: String? = nil, primaryDns: String? = nil, secondaryDns: String? = nil
        ) {
            self.dhcp = dhcp
            self.static = isStatic
            self.ipsync = ipsync
            self.ipAddress = ipAddress
            self.netmask = netmask
            self.gateway = gateway
            self.primaryDns = primaryDns
            self.secondaryDns = secondaryDns
        }
    }

    /// `hostnameInfo` as RPC sends it.
    public struct HostnameInfo: Sendable, Equatable, Codable {
        public var dnsSuffixOS: String?
        public var hostname: String?

        public init(dnsSuffixOS: String? = nil, hostname: String? = nil) {
            self.dnsSuffixOS = dnsSuffixOS
            self.hostname = hostname
        }
    }

    /// Creates a payload.
    public init(
        ver: String, build: String, sku: String? = nil, features: String? = nil, uuid: String, username: String? = nil,
        password: String? = nil, currentMode: Int? = 0, hostname: String? = nil, fqdn: String? = nil,
        client: String = "RPC", certHashes: [String]? = nil, friendlyName: String? = nil, hostnameInfo: HostnameInfo? = nil,
        ipConfiguration: IPConfiguration? = nil
    ) {
        self.ver = ver
        self.build = build
        self.sku = sku
        self.features = features
        self.uuid = uuid
        self.username = username
        self.password = password
        self.currentMode = currentMode
        self.hostname = hostname
        self.fqdn = fqdn
        self.client = client
        self.certHashes = certHashes
        self.friendlyName = friendlyName
        self.hostnameInfo = hostnameInfo
        self.ipConfiguration = ipConfiguration
    }

    private enum CodingKeys: String, CodingKey {
        case ver, build, sku, features, uuid, username, password, currentMode, hostname, fqdn, client, certHashes,
             friendlyName, hostnameInfo, ipConfiguration
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        ver = try c.decodeIfPresent(String.self, forKey: .ver) ?? ""
        build = try c.decodeIfPresent(String.self, forKey: .build) ?? ""
        sku = try c.decodeIfPresent(String.self, forKey: .sku)
        features = try c.decodeIfPresent(String.self, forKey: .features)
        uuid = try c.decodeIfPresent(String.self, forKey: .uuid) ?? ""
        username = try c.decodeIfPresent(String.self, forKey: .username)
        password = try c.decodeIfPresent(String.self, forKey: .password)
        currentMode = try c.decodeIfPresent(Int.self, forKey: .currentMode)
        hostname = try c.decodeIfPresent(String.self, forKey: .hostname)
        fqdn = try c.decodeIfPresent(String.self, forKey: .fqdn)
        client = try c.decodeIfPresent(String.self, forKey: .client) ?? ""
        certHashes = try c.decodeIfPresent([String].self, forKey: .certHashes)
        friendlyName = try c.decodeIfPresent(String.self, forKey: .friendlyName)
        hostnameInfo = try c.decodeIfPresent(HostnameInfo.self, forKey: .hostnameInfo)
        ipConfiguration = try c.decodeIfPresent(IPConfiguration.self, forKey: .ipConfiguration)
    }

    /// Decodes and checks a message's payload (RPS's rules: base64 of JSON; non-empty `client`,
    /// `ver`, `build`, `uuid`; `uuid` 36 characters).
    public static func decode(fromBase64 base64: String?) throws(ActivationProtocolError) -> DevicePayload {
        guard let base64, !base64.isEmpty else { throw .unparsablePayload("the payload is empty") }
        guard let data = Data(base64Encoded: base64, options: .ignoreUnknownCharacters) else {
            throw .unparsablePayload("the payload is not base64")
        }
        let payload: DevicePayload
        do {
            payload = try JSONDecoder().decode(DevicePayload.self, from: data)
        } catch {
            throw .unparsablePayload("the payload is not a JSON object: \(RPSMessage.describe(error))")
        }
        for (name, value) in [("client", payload.client), ("ver", payload.ver), ("build", payload.build), ("uuid", payload.uuid)]
        where value.isEmpty {
            throw .invalidPayload("missing '\(name)'")
        }
        guard payload.uuid.count == 36, UUID(uuidString: payload.uuid) != nil else {
            throw .invalidPayload("uuid not valid length")
        }
        return payload
    }

    /// The base64 JSON an RPC client sends.
    public func encodedBase64() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return ((try? encoder.encode(self)) ?? Data("{}".utf8)).base64EncodedString()
    }

    /// The UUID in lower case (Tether's device GUID form).
    public var guid: String { uuid.lowercased() }
}
