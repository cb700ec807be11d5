import Foundation
import Testing
import TetherJSON
@testable import TetherCore

@Suite struct ConcurrencyTests {
    @Test func aThousandConcurrentRequestsAreAllAnswered() async throws {
        let bed = try await sharedHost.value
        let token = try await bed.token()
        let device = try await TestDevice.registerAndConnect(
            bed, token: token, number: 1000, username: "loaduser", password: "L0ad-P@ss", hostname: "load-host")
        defer { Task { await device.device.stop() } }

        let replies = await withTaskGroup(of: (Int, String).self) { group in
            for index in 0..<1000 {
                group.addTask {
                    let (method, path): (String, String) =
                        switch index % 4 {
                        case 0: ("GET", "/api/v1/devices/stats")
                        case 1: ("GET", "/api/v1/amt/power/state/\(device.guid)")
                        case 2: ("GET", "/api/v1/devices/\(device.guid)")
                        default: index == 503 ? ("DELETE", "/api/v1/devices/disconnect/\(device.guid)") : ("GET", "/api/v1/version")
                        }
                    do {
                        let reply = try await bed.request(method, path, token: token)
                        return (reply.status, "\(method) \(path): \(reply.text)")
                    } catch {
                        return (-1, "\(method) \(path): \(error)")
                    }
                }
            }
            var all: [(Int, String)] = []
            for await reply in group { all.append(reply) }
            return all
        }
        let statuses = replies.map(\.0)
        #expect(statuses.count == 1000)
        #expect(!statuses.contains(-1), "transport failures: \(statuses.filter { $0 == -1 }.count)")
        // Answers are the route's own (device reads may fail once the device is gone), never a
        // gateway failure of the front end.
        let allowed: Set<Int> = [200, 404, 500, 503, 504]
        let unexpected = replies.filter { !allowed.contains($0.0) }
        #expect(unexpected.isEmpty, "unexpected: \(unexpected.count), e.g. \(unexpected.prefix(3))")
        #expect(statuses.filter { $0 == 200 }.count >= 500)
        // Concurrent calls sharing one digest challenge are never taken for a wrong password.
        let authFailures = replies.filter { $0.1.contains("rejected the AMT credentials") }
        #expect(authFailures.isEmpty, "digest failures: \(authFailures.count), e.g. \(authFailures.prefix(1))")
    }
}
