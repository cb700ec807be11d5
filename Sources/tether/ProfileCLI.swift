import ArgumentParser
import TetherJSON

/// `tether profile create|list|show|delete` (runs `profiles.*`).
struct ProfileCLI: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "profile", abstract: "Manage AMT profiles (validated by the activation mode's policy plugin).",
        subcommands: [Create.self, List.self, Show.self, Delete.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create an AMT profile.")
        @OptionGroup var options: HostOptions
        @Option(name: .customLong("profileName")) var profileName: String?
        @Option(name: .customLong("activation"), help: "acmactivate or ccmactivate.") var activation: String?
        @Option(name: .customLong("amtPassword"), help: "Static AMT password (write-only).") var amtPassword: String?
        @Option(name: .customLong("generateRandomPassword"), help: "true/false") var generateRandomPassword: Bool?
        @Option(name: .customLong("mebxPassword"), help: "Static MEBx password, ACM only (write-only).") var mebxPassword: String?
        @Option(name: .customLong("generateRandomMEBxPassword"), help: "true/false") var generateRandomMEBxPassword: Bool?
        @Option(name: .customLong("ciraConfigName")) var ciraConfigName: String?
        @Option(name: .customLong("tlsMode"), help: "1-4") var tlsMode: Int?
        @Option(name: .customLong("tlsSigningAuthority"), help: "SelfSigned or MicrosoftCA") var tlsSigningAuthority: String?
        @Option(name: .customLong("userConsent"), help: "None, KVM or All") var userConsent: String?
        @Option(name: .customLong("kvmEnabled")) var kvmEnabled: Bool?
        @Option(name: .customLong("solEnabled")) var solEnabled: Bool?
        @Option(name: .customLong("iderEnabled")) var iderEnabled: Bool?
        @Option(name: .customLong("dhcpEnabled")) var dhcpEnabled: Bool = true
        @Option(name: .customLong("ipSyncEnabled")) var ipSyncEnabled: Bool?
        @Option(name: .customLong("localWifiSyncEnabled")) var localWifiSyncEnabled: Bool?
        @Option(name: .customLong("tags"), help: "A tag; repeatable.") var tags: [String] = []

        func run() async throws {
            try await AdminCLI.run(options, "profiles.create", [
                "profileName": AdminCLI.string(profileName), "activation": AdminCLI.string(activation),
                "amtPassword": AdminCLI.string(amtPassword), "generateRandomPassword": AdminCLI.bool(generateRandomPassword),
                "mebxPassword": AdminCLI.string(mebxPassword),
                "generateRandomMEBxPassword": AdminCLI.bool(generateRandomMEBxPassword),
                "ciraConfigName": AdminCLI.string(ciraConfigName), "tlsMode": AdminCLI.int(tlsMode),
                "tlsSigningAuthority": AdminCLI.string(tlsSigningAuthority), "userConsent": AdminCLI.string(userConsent),
                "kvmEnabled": AdminCLI.bool(kvmEnabled), "solEnabled": AdminCLI.bool(solEnabled),
                "iderEnabled": AdminCLI.bool(iderEnabled), "dhcpEnabled": .bool(dhcpEnabled),
                "ipSyncEnabled": AdminCLI.bool(ipSyncEnabled), "localWifiSyncEnabled": AdminCLI.bool(localWifiSyncEnabled),
                "tags": AdminCLI.list(tags),
            ])
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List AMT profiles.")
        @OptionGroup var options: HostOptions
        @OptionGroup var list: ListOptions
        func run() async throws { try await AdminCLI.run(options, "profiles.list", list.args) }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one AMT profile.")
        @OptionGroup var options: HostOptions
        @Argument(help: "profileName") var profileName: String
        func run() async throws { try await AdminCLI.run(options, "profiles.get", ["profileName": .string(profileName)]) }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete an AMT profile.")
        @OptionGroup var options: HostOptions
        @Argument(help: "profileName") var profileName: String
        func run() async throws { try await AdminCLI.run(options, "profiles.delete", ["profileName": .string(profileName)]) }
    }
}
