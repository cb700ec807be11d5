import AMT
import AMTSimulator
import CIRA
import Foundation
import Synchronization
import Testing
import WSMan

/// Digest auth under concurrency: several channels of one tunnel share one cached challenge,
/// so requests reach the firmware with their `nc` values out of order.
@Suite struct DigestConcurrencyTests {
    /// Regression: ~2% of concurrent calls failed with `authenticationFailed` because the
    /// simulated firmware refused an `nc` lower than the highest seen, and the client took the
    /// resulting 401 for a wrong password.
    @Test func manyConcurrentPowerStateCallsThroughOneTunnelAllSucceed() async throws {
        let bed = try await AMTTestBed.start()
        let uuid = amtTestUUID(18)
        let firmware = AMTFirmware(uuid: uuid, password: "P@ssw0rd-amt")
        let device = try await bed.connect(uuid, firmware: firmware)
        let client = bed.client(uuid) { $0.callTimeout = .seconds(60) }
        let failures = try await withThrowingTaskGroup(of: String?.self) { group in
            for _ in 0..<200 {
                group.addTask {
                    do {
                        return try await client.powerState() == 2 ? nil : "wrong power state"
                    } catch {
                        return "\(error)"
                    }
                }
            }
            var failures: [String] = []
            for try await failure in group { if let failure { failures.append(failure) } }
            return failures
        }
        #expect(failures.isEmpty, "\(failures.count) of 200 calls failed, first: \(failures.first ?? "")")
        await device.stop()
        await bed.server.stop()
    }

    /// A 401 after credentials that worked (e.g. the device dropped the nonce without saying
    /// `stale`) is retried once with the fresh challenge before the password is called wrong.
    @Test func aRejectionAfterWorkingCredentialsIsRetriedWithTheFreshChallenge() async throws {
        let bed = try await AMTTestBed.start()
        let uuid = amtTestUUID(19)
        let nonce = Mutex(0)
        let firmware = CannedFirmware { n, request in
            // Request 1: no credentials → challenge 1. Request 2: accepted. Request 3: the
            // device forgot nonce 1 → 401 stale="false" with nonce 2. Request 4: accepted.
            func challenge() -> [UInt8] {
                let value = nonce.withLock { value -> Int in
                    value += 1
                    return value
                }
                var headers = HTTPHeaders()
                headers.add(name: "WWW-Authenticate", value: DigestChallenge(
                    realm: "Digest:0123456789ABCDEF0123456789ABCDEF", nonce: "nonce-\(value)").headerValue)
                return HTTPResponseMessage(status: 401, headers: headers).encode()
            }
            guard let header = request.headers["Authorization"], let auth = try? DigestAuthorization(headerValue: header),
                  auth.response == auth.expectedResponse(password: "P@ssw0rd-amt", method: "POST"),
                  auth.nonce == "nonce-\(nonce.withLock { $0 })", n != 3
            else { return challenge() }
            return generalSettingsReply()
        }
        let device = try await bed.connect(uuid, firmware: firmware)
        let client = bed.client(uuid)
        _ = try await client.generalSettings()
        _ = try await client.generalSettings()
        #expect(firmware.requests.withLock { $0 } == 4)
        await device.stop()
        await bed.server.stop()
    }

    /// A wrong password still fails: the retry happens once, not forever.
    @Test func aWrongPasswordStillFailsAfterTheRetry() async throws {
        let bed = try await AMTTestBed.start()
        let uuid = amtTestUUID(20)
        let firmware = AMTFirmware(uuid: uuid, password: "P@ssw0rd-amt")
        let device = try await bed.connect(uuid, firmware: firmware)
        let client = bed.client(uuid, password: "wrong")
        await #expect(throws: AMTError.authenticationFailed(guid: uuid.guidString.lowercased())) {
            try await client.powerState()
        }
        await device.stop()
        await bed.server.stop()
    }
}
