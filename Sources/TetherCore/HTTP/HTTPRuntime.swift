/// What `startHTTP` brings up; kept in the host's `Running` state until `stopHTTP`.
struct HTTPRuntime: Sendable {
    var http: HTTPListener?
    var https: HTTPListener?
    var metricsListener: HTTPListener?
    var metrics: HTTPMetrics
    var mounts: [FrontendMount]
}
