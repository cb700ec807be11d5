import Store
import TetherJSON

extension ProfileInput {
    static let wifiOnlyDHCP = "Wifi supports only DHCP in AMT"
    static let wifiPriorityRange = "wifi config priority should be an integer and between 1 and 255"
    static let maximumWifiLinks = 8

    /// Rules 14–15 of shared/reference/rps.md §2.3/§2.4 that need no store: the shape of `wifiConfigs` (at most 8,
    /// priorities 1…255 — integers, unlike RPS — unique priorities and names, DHCP only) and the
    /// type of `ieee8021xProfileName`. Sets `profile["wifiConfigs"]` to the resulting list:
    /// the body's, or on update the stored one (kept when omitted, dropped when DHCP goes off).
    mutating func readLinks(_ args: AdminArguments, stored: Profile?, isUpdate: Bool) {
        let dhcp = profile["dhcpEnabled"]?.boolValue
        switch args.members["wifiConfigs"] {
        case nil:
            if dhcp == false { profile["wifiConfigs"] = .array([]) }
        case .null?:
            profile["wifiConfigs"] = .array([])
        case .array(let items)?:
            var links: [JSONValue] = []
            var malformed = false
            for item in items {
                guard let name = item["profileName"]?.stringValue, !name.isEmpty, let priority = item["priority"] else {
                    malformed = true
                    continue
                }
                links.append(["profileName": .string(name), "priority": priority])
            }
            if !items.isEmpty {
                if isUpdate, args.bool("dhcpEnabled").isAbsentOrNull {
                    errors.append(FieldError(field: "wifiConfigs", message: "DHCP enabled should be true"))
                } else if args.bool("dhcpEnabled").isTrue == false {
                    errors.append(FieldError(field: "wifiConfigs", message: Self.wifiOnlyDHCP))
                }
            }
            if items.count > Self.maximumWifiLinks {
                errors.append(FieldError(field: "wifiConfigs", message: "A maximum of 8 wifi profiles can be stored at a time."))
            }
            if malformed {
                errors.append(FieldError(field: "wifiConfigs", message: "wifiConfigs entries must be {\"profileName\": string, \"priority\": integer}"))
            }
            let priorities = links.map { $0["priority"]?.intValue }
            if priorities.contains(where: { $0 == nil || !(1...255).contains($0!) }) {
                errors.append(FieldError(field: "wifiConfigs", message: Self.wifiPriorityRange))
            } else if Set(priorities).count != priorities.count {
                errors.append(FieldError(field: "wifiConfigs", message: "wifi config priorities must be unique"))
            }
            let names = links.compactMap { $0["profileName"]?.stringValue?.lowercased() }
            if Set(names).count != names.count {
                errors.append(FieldError(field: "wifiConfigs", message: "a wifi config may be listed only once"))
            }
            profile["wifiConfigs"] = .array(links)
        case .some:
            errors.append(FieldError(field: "wifiConfigs", message: "Invalid value"))
        }

        switch args.string("ieee8021xProfileName") {
        case .value(let name) where !name.isEmpty: profile["ieee8021xProfileName"] = .string(name)
        case .value, .null: profile["ieee8021xProfileName"] = .null
        case .wrongType: errors.append(FieldError(field: "ieee8021xProfileName", message: "ieee8021xProfileName must be a string"))
        case .absent: break
        }
    }

    /// The Wi-Fi links of a merged (or policy-normalized) profile.
    static func wifiLinks(in profile: [String: JSONValue]) -> [ProfileWifiLink] {
        (profile["wifiConfigs"]?.arrayValue ?? []).compactMap { item in
            guard let name = item["profileName"]?.stringValue, let priority = item["priority"]?.intValue else { return nil }
            return ProfileWifiLink(profileName: name, priority: priority)
        }
    }
}

extension AdminArguments.Value where T == Bool {
    var isAbsentOrNull: Bool {
        switch self {
        case .absent, .null: return true
        default: return false
        }
    }
}
