import Logging
import PluginHost
import TetherJSON

/// A plugin host with a quiet logger, for tests. The default budget is generous: a request's
/// deadline now bounds the commands it submits, and this machine may be loaded.
func makePluginHost(timeout: Duration = .seconds(60)) -> PluginHost {
    var logger = Logger(label: "test")
    logger.logLevel = .critical
    return PluginHost(bus: CommandBus(), logger: logger, defaultTimeout: timeout)
}
