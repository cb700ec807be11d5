import ArgumentParser
import TetherJSON

/// `tether ciraconfig create|list|show|delete` (runs `ciraconfigs.*`).
struct CIRAConfigCLI: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ciraconfig", abstract: "Manage CIRA configs (which MPS devices phone home to).",
        subcommands: [Create.self, List.self, Show.self, Delete.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a CIRA config; the MPS root certificate defaults to this host's.")
        @OptionGroup var options: HostOptions
        @Option(name: .customLong("configName")) var configName: String?
        @Option(name: .customLong("mpsServerAddress")) var mpsServerAddress: String?
        @Option(name: .customLong("serverAddressFormat"), help: "3 (IPv4), 4 (IPv6) or 201 (FQDN).") var serverAddressFormat: Int?
        @Option(name: .customLong("mpsPort")) var mpsPort: Int = 4433
        @Option(name: .customLong("username")) var username: String?
        @Option(name: .customLong("password"), help: "Static MPS password (write-only).") var password: String?
        @Option(name: .customLong("commonName"), help: "Server certificate CN (for IP addresses).") var commonName: String?
        @Option(name: .customLong("authMethod"), help: "1 (mutual TLS) or 2 (username/password).") var authMethod: Int = 2
        @Option(name: .customLong("mpsRootCertificate"), help: "Base64 DER; default: this host's root.") var mpsRootCertificate: String?
        @Option(name: .customLong("proxyDetails")) var proxyDetails: String?
        @Flag(name: .customLong("allowSelfRegistration"), help: "Register unknown devices presenting this config's credentials.")
        var allowSelfRegistration = false

        func run() async throws {
            try await AdminCLI.run(options, "ciraconfigs.create", [
                "configName": AdminCLI.string(configName), "mpsServerAddress": AdminCLI.string(mpsServerAddress),
                "serverAddressFormat": AdminCLI.int(serverAddressFormat), "mpsPort": AdminCLI.int(mpsPort),
                "username": AdminCLI.string(username), "password": AdminCLI.string(password),
                "commonName": AdminCLI.string(commonName), "authMethod": AdminCLI.int(authMethod),
                "mpsRootCertificate": AdminCLI.string(mpsRootCertificate), "proxyDetails": AdminCLI.string(proxyDetails),
                "allowSelfRegistration": .bool(allowSelfRegistration),
            ])
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List CIRA configs.")
        @OptionGroup var options: HostOptions
        @OptionGroup var list: ListOptions
        func run() async throws { try await AdminCLI.run(options, "ciraconfigs.list", list.args) }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one CIRA config.")
        @OptionGroup var options: HostOptions
        @Argument(help: "configName") var configName: String
        func run() async throws { try await AdminCLI.run(options, "ciraconfigs.get", ["configName": .string(configName)]) }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete a CIRA config no profile uses.")
        @OptionGroup var options: HostOptions
        @Argument(help: "configName") var configName: String
        func run() async throws { try await AdminCLI.run(options, "ciraconfigs.delete", ["configName": .string(configName)]) }
    }
}
