import ArgumentParser
import TetherJSON

/// `tether device add|list|show|delete` (runs `devices.*`).
struct DeviceCLI: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "device", abstract: "Manage device records (MPS devices).",
        subcommands: [Add.self, List.self, Show.self, Delete.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Register a device and its CIRA/AMT credentials.")
        @OptionGroup var options: HostOptions
        @Option(name: .customLong("guid")) var guid: String?
        @Option(name: .customLong("hostname")) var hostname: String?
        @Option(name: .customLong("friendlyName")) var friendlyName: String?
        @Option(name: .customLong("dnsSuffix")) var dnsSuffix: String?
        @Option(name: .customLong("mpsusername")) var mpsusername: String?
        @Option(name: .customLong("mpsPassword"), help: "CIRA password (write-only).") var mpsPassword: String?
        @Option(name: .customLong("amtPassword"), help: "AMT admin password (write-only).") var amtPassword: String?
        @Option(name: .customLong("tags"), help: "A tag; repeatable.") var tags: [String] = []

        func run() async throws {
            try await AdminCLI.run(options, "devices.create", [
                "guid": AdminCLI.string(guid), "hostname": AdminCLI.string(hostname),
                "friendlyName": AdminCLI.string(friendlyName), "dnsSuffix": AdminCLI.string(dnsSuffix),
                "mpsusername": AdminCLI.string(mpsusername), "mpsPassword": AdminCLI.string(mpsPassword),
                "amtPassword": AdminCLI.string(amtPassword), "tags": AdminCLI.list(tags),
            ])
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List devices.")
        @OptionGroup var options: HostOptions
        @OptionGroup var list: ListOptions
        @Option(name: .customLong("tags"), help: "Comma-separated tags.") var tags: String?
        @Option(name: .customLong("method"), help: "AND or OR (default OR).") var method: String?
        @Option(name: .customLong("hostname")) var hostname: String?
        @Option(name: .customLong("status"), help: "1 connected, 0 disconnected.") var status: Int?
        func run() async throws {
            try await AdminCLI.run(options, "devices.list", list.args.merging([
                "tags": AdminCLI.string(tags), "method": AdminCLI.string(method),
                "hostname": AdminCLI.string(hostname), "status": AdminCLI.int(status),
            ]) { $1 })
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one device.")
        @OptionGroup var options: HostOptions
        @Argument(help: "guid") var guid: String
        func run() async throws { try await AdminCLI.run(options, "devices.get", ["guid": .string(guid)]) }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete a device and its credentials.")
        @OptionGroup var options: HostOptions
        @Argument(help: "guid") var guid: String
        func run() async throws { try await AdminCLI.run(options, "devices.delete", ["guid": .string(guid)]) }
    }
}
