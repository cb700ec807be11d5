import PluginHost
import TetherCore
import TetherJSON

/// `tether serve --demo`: makes sure a CIRA config that lets devices register themselves and a
/// CCM profile exist, so that `amtsim` can connect with no other set-up (README "Demo").
enum DemoSeed {
    static let username = "standalone"
    static let password = "G@ppm0ym"
    static let amtPassword = "Demo-P@ssw0rd1"

    static func apply(to host: TetherHost) async throws(CommandError) {
        let configuration = host.configuration
        if await exists(host, "ciraconfigs.get", ["configName": "demo"]) == false {
            _ = try await host.bus.run(
                "ciraconfigs.create",
                args: [
                    "configName": "demo", "mpsServerAddress": .string(configuration.commonName),
                    "serverAddressFormat": .number(configuration.commonName.contains(":") ? 4 : 3),
                    "mpsPort": .number(host.ciraPort ?? configuration.ciraPort), "username": .string(username),
                    "password": .string(password), "commonName": .string(configuration.commonName), "authMethod": 2,
                    "proxyDetails": "", "allowSelfRegistration": true,
                ])
        }
        if await exists(host, "profiles.get", ["profileName": "demo"]) == false {
            _ = try await host.bus.run(
                "profiles.create",
                args: [
                    "profileName": "demo", "activation": "ccmactivate", "generateRandomPassword": false,
                    "amtPassword": .string(amtPassword), "generateRandomMEBxPassword": false, "ciraConfigName": "demo",
                    "dhcpEnabled": true, "tags": ["demo"], "userConsent": "All", "iderEnabled": false, "kvmEnabled": true,
                    "solEnabled": false,
                ])
        }
        host.logger.notice(
            "demo ready: devices may register themselves",
            metadata: [
                "ciraConfig": "demo", "mpsUsername": "\(username)", "ciraPort": "\(host.ciraPort ?? configuration.ciraPort)",
                "next": "run amtsim with the demo credentials from README \"Demo\" against port \(host.ciraPort ?? configuration.ciraPort)",
            ])
    }

    private static func exists(_ host: TetherHost, _ command: String, _ args: JSONValue) async -> Bool {
        (try? await host.bus.run(command, args: args)) != nil
    }
}
