import CIRA
import Foundation
import Logging
import Store

/// Checks CIRA credentials against the store: the device's own MPS username and sealed
/// password. (Self-registration through a CIRA config is added by `selfRegistration`.)
struct StoreAuthenticator: CIRADeviceAuthenticator {
    let store: TetherStore
    let logger: Logger
    /// Called for GUIDs the store does not know; returns true when it registered the device
    /// (e.g. a CIRA config that allows self-registration matched the credentials).
    let selfRegistration: @Sendable (CIRAAuthRequest) async -> Bool

    func authenticate(_ request: CIRAAuthRequest) async -> CIRAAuthDecision {
        let device: Device
        do {
            device = try await store.devices.find(guid: request.guid)
        } catch StoreError.notFound {
            if await selfRegistration(request) { return .accept }
            return .reject(reason: "device \(request.guid) is not registered")
        } catch {
            logger.error("device lookup failed", metadata: ["guid": "\(request.guid)", "error": "\(error)"])
            return .reject(reason: "device lookup failed")
        }
        do {
            let secrets = try await store.devices.secrets(guid: request.guid, tenantId: device.tenantId)
            guard let expected = secrets.mpsPassword, let username = device.mpsUsername else {
                return .reject(reason: "device \(request.guid) has no MPS credentials")
            }
            let userMatches = ConstantTime.equal(username, request.username)
            let passwordMatches = ConstantTime.equal(expected.reveal(), request.password)
            return userMatches && passwordMatches ? .accept : .reject(reason: "wrong MPS username or password")
        } catch {
            logger.error("reading device credentials failed", metadata: ["guid": "\(request.guid)", "error": "\(error)"])
            return .reject(reason: "credential check failed")
        }
    }
}

/// Comparisons whose time does not depend on where the inputs differ.
enum ConstantTime {
    static func equal(_ a: String, _ b: String) -> Bool {
        equal(Array(a.utf8), Array(b.utf8))
    }

    static func equal(_ x: [UInt8], _ y: [UInt8]) -> Bool {
        var difference: UInt8 = x.count == y.count ? 0 : 1
        for index in 0..<max(x.count, y.count) {
            difference |= (index < x.count ? x[index] : 0) ^ (index < y.count ? y[index] : 0)
        }
        return difference == 0
    }
}
