import Foundation
import Testing
import TetherJSON
@testable import TetherCore

@Suite struct ConcurrencyTests {
    @Test func aThousandConcurrentRequestsAreAllAnswered() async throws {
        // Its own host, with deadlines sized for the queue: 250 reads wait on one device that
        // takes 3 calls at a time, and under a full parallel suite on 2 cores the default 10 s
        // WS-Man budget ran out for the last of them (504). The test is about every request
        // being answered correctly, not about latency; the nesting (WS-Man < plugin < HTTP <
        // the client's 60 s) stays as in production.
        let bed = try await RESTTestHost.start { configuration in
            configuration.amtCallTimeout = .seconds(45)
            configuration.pluginTimeout = .seconds(50)
            configuration.httpRequestTimeout = .seconds(55)
        }
        defer { Task { await bed.stop() } }
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
                        default: ("GET", "/api/v1/version")
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
        // Every request succeeds: the device stays connected throughout, so a device read that
        // fails (queueing, a digest challenge shared by concurrent calls) is a bug, not load.
        let failed = replies.filter { $0.0 != 200 }
        #expect(failed.isEmpty, "\(failed.count) of 1000 failed, e.g. \(failed.prefix(3))")
        #expect(replies.filter { $0.1.contains("/amt/power/state/") }.count == 250)

        // Disconnecting afterwards is clean: the next device read is the route's own error.
        let disconnected = try await bed.request("DELETE", "/api/v1/devices/disconnect/\(device.guid)", token: token)
        #expect(disconnected.status == 200, "\(disconnected.status) \(disconnected.text)")
        let after = try await bed.request("GET", "/api/v1/amt/power/state/\(device.guid)", token: token)
        #expect([404, 503].contains(after.status), "\(after.status) \(after.text)")
    }
}
