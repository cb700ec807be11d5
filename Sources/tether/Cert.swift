import ArgumentParser
import TetherJSON

/// `tether cert show`: the MPS root certificate a CIRA config needs.
struct Cert: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show the host's certificates.", subcommands: [Show.self], defaultSubcommand: Show.self)

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the MPS root certificate (PEM, and the base64 DER a CIRA config holds) and the server certificate's CN.")

        @OptionGroup var options: HostOptions

        @Flag(name: .long, help: "Print JSON.")
        var json = false

        func run() async throws {
            let result = try await CommandRunner(options: options).run("cert.show", args: [:])
            if json {
                print(result.jsonString)
                return
            }
            print("Server certificate CN: \(result["serverCommonName"]?.stringValue ?? "?") (valid until \(result["serverNotAfter"]?.stringValue ?? "?"))")
            print("Root fingerprint (SHA-256): \(result["rootFingerprintSHA256"]?.stringValue ?? "?")")
            print("MPS root certificate (CIRA config field, base64 DER):")
            print(result["mpsRootCertificate"]?.stringValue ?? "")
            print("")
            print(result["rootCertificatePEM"]?.stringValue ?? "", terminator: "")
        }
    }
}
