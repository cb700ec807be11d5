import Logging
import PluginHost
import Synchronization

/// The process-wide swift-log set-up of the `tether` executable: every `Logger` in the process —
/// the host's, the plugin host's (including what plugins log through `host->log`), Hummingbird's
/// and the service group's — writes to standard error in one format at one level.
public enum TetherLogging {
    private static let bootstrapped = Mutex<Logger.Level?>(nil)

    /// Bootstraps `LoggingSystem` once with `level` and `format` and returns the `tether` logger.
    /// Later calls (several subcommands in one process, tests) keep the first set-up and only
    /// return a logger at the level asked for.
    public static func bootstrap(level: Logger.Level, format: LogFormat) -> Logger {
        let first = bootstrapped.withLock { current -> Bool in
            guard current == nil else { return false }
            current = level
            return true
        }
        if first {
            // Every line written while serving an HTTP request carries its `requestId`.
            LoggingSystem.bootstrap(
                { label, provider in makeHandler(label: label, level: level, format: format, metadataProvider: provider) },
                metadataProvider: RequestLogContext.metadataProvider)
        }
        var logger = Logger(label: "tether")
        logger.logLevel = level
        return logger
    }

    /// The handler `format` stands for, at `level`.
    public static func makeHandler(
        label: String, level: Logger.Level, format: LogFormat, metadataProvider: Logger.MetadataProvider? = nil
    ) -> any LogHandler {
        switch format {
        case .text:
            var handler = StreamLogHandler.standardError(label: label, metadataProvider: metadataProvider)
            handler.logLevel = level
            return handler
        case .json:
            return JSONLogHandler(label: label, level: level, metadataProvider: metadataProvider)
        }
    }
}
