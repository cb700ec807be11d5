import Foundation
import PluginHost
import Store
import Synchronization
import Testing
import TetherCore
import TetherJSON
import TestSupport

/// kill -9 during a burst of writes: on restart every acknowledged write is there and the
/// database passes `PRAGMA integrity_check`.
@Suite struct DurabilityTests {
    @Test func acknowledgedWritesSurviveKill9() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tether-kill9-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let host = try SpawnedProcess(
            PluginSearchPath.executableDirectory + "/tether",
            ["serve", "--data-dir", dir, "--cira-port", "0", "--http-port", "0", "--common-name", "127.0.0.1", "--log-level", "error"],
            stdout: .null, stderr: .null)
        let socket = dir + "/tether.sock"
        let deadline = ContinuousClock.now + .seconds(30)
        while !FileManager.default.fileExists(atPath: socket) && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
        }
        try #require(FileManager.default.fileExists(atPath: socket), "the host did not open its control socket")
        // The file appears at bind(), a moment before listen(): wait until the host answers.
        var answering = false
        while !answering && ContinuousClock.now < deadline {
            answering = (try? ControlClient.send(path: socket, request: ["command": "host.version"], timeoutSeconds: 5))?["ok"] == true
            if !answering { try await Task.sleep(for: .milliseconds(50)) }
        }
        try #require(answering, "the host did not answer on its control socket")

        // A burst of device writes from a plain thread (ControlClient blocks); each acknowledged
        // GUID is recorded, then the host is killed mid-burst.
        let acknowledged = Mutex<[String]>([])
        let done = Mutex(false)
        let writer = Thread {
            for index in 0..<10_000 {
                let guid = String(format: "00000000-0000-4000-8000-%012x", index)
                let request: JSONValue = [
                    "command": "devices.create",
                    "args": ["guid": .string(guid), "hostname": .string("kill9-\(index)"), "mpsusername": "user01",
                             "mpsPassword": "Kill9-P@ssw0rd"],
                ]
                guard let reply = try? ControlClient.send(path: socket, request: request), reply["ok"] == true else { break }
                acknowledged.withLock { $0.append(guid) }
            }
            done.withLock { $0 = true }
        }
        writer.start()
        while acknowledged.withLock({ $0.count }) < 60 && !done.withLock({ $0 }) {
            try await Task.sleep(for: .milliseconds(10))
        }
        host.signal(SIGKILL)
        let ended = await host.exited()
        while !done.withLock({ $0 }) { try await Task.sleep(for: .milliseconds(10)) }
        #expect(ended == .signalled(SIGKILL))

        let written = acknowledged.withLock { $0 }
        #expect(written.count >= 60)
        let store = try TetherStore.open(dataDirectory: URL(fileURLWithPath: dir))
        #expect(try await store.database.integrityCheck() == ["ok"])
        for guid in written {
            let device = try await store.devices.get(guid: guid)
            #expect(device.guid == guid)
        }
    }
}
