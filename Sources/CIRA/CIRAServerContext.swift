import Logging

/// What every connection of one server shares.
struct CIRAServerContext: Sendable {
    let settings: CIRASettings
    let authenticator: any CIRADeviceAuthenticator
    let registry: CIRASessionRegistry
    let admission: CIRAAdmissionControl
    let observer: (any CIRASessionObserver)?
    let metrics: CIRAMetrics
    let logger: Logger
}
