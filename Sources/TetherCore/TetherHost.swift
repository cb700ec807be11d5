import Foundation
import Logging
import PluginHost
import TetherJSON

/// The Tether host process: owns the command bus, the plugins and (as they land) the CIRA
/// server, the store and the HTTP listener. Start once, stop once.
public final class TetherHost: Sendable {
    public let configuration: TetherConfiguration
    public let bus: CommandBus
    public let plugins: PluginHost
    public let logger: Logger

    public init(configuration: TetherConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
        self.bus = CommandBus()
        self.plugins = PluginHost(bus: bus, logger: logger, defaultTimeout: configuration.pluginTimeout)
    }

    /// Prepares the data directory and loads the plugins. Plugin failures are logged and listed,
    /// never fatal; an unusable data directory is.
    public func start() throws(ConfigurationError) {
        do {
            try FileManager.default.createDirectory(
                atPath: configuration.dataDirectory, withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700])
        } catch {
            throw ConfigurationError("cannot create data directory \(configuration.dataDirectory): \(error.localizedDescription)")
        }
        let records = plugins.loadAll(from: configuration.pluginSearchPaths, settings: configuration.pluginSettings)
        let loaded = records.filter { $0.status == .loaded }.count
        logger.info(
            "host started",
            metadata: [
                "version": "\(TetherHostVersion.current)", "abi": "\(TetherHostVersion.abiText)",
                "dataDir": "\(configuration.dataDirectory)", "plugins": "\(loaded)/\(records.count)",
            ])
    }

    /// Stops plugins (draining their in-flight work).
    public func stop() async {
        await plugins.shutdown()
        logger.info("host stopped")
    }
}
