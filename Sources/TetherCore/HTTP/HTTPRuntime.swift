import Synchronization

/// What `startHTTP` brings up, kept per host (TetherHost's `Running` belongs to the lifecycle
/// code; this side table keeps the HTTP facet self-contained).
struct HTTPRuntime: Sendable {
    var http: HTTPListener
    var https: HTTPListener?
    var metrics: HTTPMetrics
    var mounts: [FrontendMount]

    static let table = Mutex<[ObjectIdentifier: HTTPRuntime]>([:])
}
