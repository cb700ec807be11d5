import ArgumentParser
import Foundation
import TetherJSON

/// `tether domain create|list|show|delete` (runs `domains.*`).
struct DomainCLI: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "domain", abstract: "Manage AMT domains (provisioning certificates for ACM).",
        subcommands: [Create.self, List.self, Show.self, Delete.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a domain from a PFX file or base64 text.")
        @OptionGroup var options: HostOptions
        @Option(name: .customLong("profileName")) var profileName: String?
        @Option(name: .customLong("domainSuffix")) var domainSuffix: String?
        @Option(name: .customLong("provisioningCert"), help: "The PFX as base64, or @path to a .pfx file.") var provisioningCert: String?
        @Option(name: .customLong("provisioningCertPassword")) var provisioningCertPassword: String?
        @Option(name: .customLong("provisioningCertStorageFormat"), help: "raw or string") var provisioningCertStorageFormat: String = "string"

        func run() async throws {
            var cert = provisioningCert
            if let value = cert, value.hasPrefix("@") {
                guard let data = FileManager.default.contents(atPath: String(value.dropFirst())) else {
                    throw ValidationError("cannot read \(value.dropFirst())")
                }
                cert = data.base64EncodedString()
            }
            try await AdminCLI.run(options, "domains.create", [
                "profileName": AdminCLI.string(profileName), "domainSuffix": AdminCLI.string(domainSuffix),
                "provisioningCert": AdminCLI.string(cert), "provisioningCertPassword": AdminCLI.string(provisioningCertPassword),
                "provisioningCertStorageFormat": .string(provisioningCertStorageFormat),
            ])
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List domains.")
        @OptionGroup var options: HostOptions
        @OptionGroup var list: ListOptions
        func run() async throws { try await AdminCLI.run(options, "domains.list", list.args) }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one domain.")
        @OptionGroup var options: HostOptions
        @Argument(help: "profileName") var profileName: String
        func run() async throws { try await AdminCLI.run(options, "domains.get", ["profileName": .string(profileName)]) }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete a domain.")
        @OptionGroup var options: HostOptions
        @Argument(help: "profileName") var profileName: String
        func run() async throws { try await AdminCLI.run(options, "domains.delete", ["profileName": .string(profileName)]) }
    }
}
