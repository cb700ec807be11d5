import Logging
import PluginHost
import TetherJSON

/// A plugin host with a quiet logger, for tests.
func makePluginHost(timeout: Duration = .seconds(5)) -> PluginHost {
    var logger = Logger(label: "test")
    logger.logLevel = .critical
    return PluginHost(bus: CommandBus(), logger: logger, defaultTimeout: timeout)
}
