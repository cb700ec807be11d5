import Logging

/// The id of the front-end HTTP request the current task serves, for log metadata
/// (`requestId`). The HTTP gateway sets it around each request; plugin requests sent from that
/// task remember it (``RequestScopes``), so commands a plugin submits for them log it too.
/// Task-local.
public enum RequestLogContext {
    /// The request id in force for the current task; nil outside an HTTP request.
    @TaskLocal public static var requestID: String?

    /// Adds `requestId` to every log line written while a request id is in force; pass it to
    /// `LoggingSystem.bootstrap` or to a `Logger` (`metadataProvider:`).
    public static let metadataProvider = Logger.MetadataProvider {
        guard let id = requestID else { return [:] }
        return ["requestId": .string(id)]
    }
}
