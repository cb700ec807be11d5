import CIRA
import Store

/// Limits self-registration through a CIRA config's shared password: at most
/// `SecuritySettings.selfRegistrationsPerMinute` registrations per config per minute, and at
/// most `selfRegistrationQuota` devices in the config's tenant holding its MPS username.
/// Thread-safe.
struct SelfRegistrationGate: Sendable {
    let quota: Int
    private let recent: SlidingWindowCounter
    /// Refusals are audited and logged once per config per minute (an attacker holding the
    /// shared password must not be able to fill the audit log).
    private let reportedRefusals = SlidingWindowCounter(limit: 1, window: .seconds(60), maxKeys: 10_000)
    private let perMinute: Int

    init(settings: SecuritySettings) {
        quota = settings.selfRegistrationQuota
        perMinute = settings.selfRegistrationsPerMinute
        recent = SlidingWindowCounter(limit: max(1, settings.selfRegistrationsPerMinute), window: .seconds(60), maxKeys: 10_000)
    }

    /// Why `config` may not register another device now, or nil when it may.
    func refusal(for config: CIRAConfig, registeredDevices: Int) -> String? {
        if perMinute == 0 || recent.blockedFor(Self.key(config)) != nil {
            return "self-registration rate limit (\(perMinute) per minute) reached for CIRA config \(config.configName)"
        }
        if registeredDevices >= quota {
            return "self-registration quota (\(quota) devices) reached for CIRA config \(config.configName)"
        }
        return nil
    }

    /// True for the first refusal of `config` in a minute (then audit and log it).
    func shouldReport(refusalFor config: CIRAConfig) -> Bool {
        let key = Self.key(config)
        guard reportedRefusals.blockedFor(key) == nil else { return false }
        reportedRefusals.record(key)
        return true
    }

    /// Counts one registration through `config`.
    func record(_ config: CIRAConfig) { recent.record(Self.key(config)) }

    private static func key(_ config: CIRAConfig) -> String { config.tenantId + "|" + config.configName.lowercased() }
}
