import ArgumentParser
import Foundation
import Logging
import TetherCore

/// Options every host-running subcommand shares.
struct HostOptions: ParsableArguments {
    @Option(name: .long, help: "JSON configuration file (also TETHER_CONFIG).")
    var config: String?

    @Option(name: .long, help: "Data directory for the database, keys and certificates (also TETHER_DATA_DIR).")
    var dataDir: String?

    @Option(name: .customLong("plugins"), help: "An extra plugin directory; repeatable (also TETHER_PLUGINS, ':'-separated).")
    var pluginDirectories: [String] = []

    @Flag(name: .long, help: "Do not load the plugins bundled next to the executable.")
    var noBundledPlugins = false

    @Option(name: .long, help: "Disable a plugin by id; repeatable (also TETHER_DISABLED_PLUGINS).")
    var disable: [String] = []

    @Option(name: .long, help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: String?

    @Option(name: .long, help: "Log format: text or json (one JSON object per line; also TETHER_LOG_FORMAT).")
    var logFormat: String?

    @Option(name: .long, help: "CIRA port (default 4433; also TETHER_CIRA_PORT).")
    var ciraPort: Int?

    @Option(name: .long, help: "CIRA listen address (default 0.0.0.0; also TETHER_CIRA_BIND).")
    var ciraBind: String?

    @Option(name: .long, help: "Server certificate common name devices expect: IP or FQDN (default: primary address; also TETHER_COMMON_NAME).")
    var commonName: String?

    @Option(name: .long, help: "HTTP port for front ends (default 8181; 0 = any; also TETHER_HTTP_PORT).")
    var httpPort: Int?

    @Option(name: .long, help: "HTTP listen address (default 127.0.0.1; also TETHER_HTTP_BIND).")
    var httpBind: String?

    @Option(name: .long, help: "HTTPS port (TLS 1.2+, the host's server certificate); off by default (also TETHER_HTTPS_PORT).")
    var httpsPort: Int?

    /// Defaults ← config file ← environment ← command line.
    func resolve(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> TetherConfiguration {
        var configuration = TetherConfiguration()
        do {
            if let file = config ?? environment["TETHER_CONFIG"] { try configuration.apply(file: file) }
            try configuration.apply(environment: environment)
        } catch {
            throw ValidationError(error.description)
        }
        if let dataDir { configuration.dataDirectory = dataDir }
        if !pluginDirectories.isEmpty { configuration.pluginDirectories += pluginDirectories }
        if noBundledPlugins { configuration.loadBundledPlugins = false }
        configuration.disabledPlugins.formUnion(disable)
        if let ciraPort {
            guard (0...65535).contains(ciraPort) else { throw ValidationError("--cira-port must be 0–65535") }
            configuration.ciraPort = ciraPort
        }
        if let ciraBind { configuration.ciraBind = ciraBind }
        for (option, port) in [("--http-port", httpPort), ("--https-port", httpsPort)] {
            if let port, !(0...65535).contains(port) { throw ValidationError("\(option) must be 0–65535") }
        }
        if let httpPort { configuration.httpPort = httpPort }
        if let httpsPort { configuration.httpsPort = httpsPort }
        if let httpBind { configuration.httpBind = httpBind }
        if let commonName { configuration.commonName = commonName }
        if let logLevel {
            guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("unknown log level '\(logLevel)'") }
            configuration.logLevel = logLevel
        }
        if let logFormat {
            guard let format = LogFormat(rawValue: logFormat) else { throw ValidationError("--log-format must be text or json") }
            configuration.logFormat = format
        }
        return configuration
    }

    /// Bootstraps swift-log for the whole process (once) and returns the host's logger.
    func makeLogger(_ configuration: TetherConfiguration) -> Logger {
        TetherLogging.bootstrap(level: Logger.Level(rawValue: configuration.logLevel) ?? .info, format: configuration.logFormat)
    }
}
