import AMTSimulator
import Foundation
import PluginHost
import TestSupport
import Testing
import TetherJSON
@testable import TetherCore

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// One host for the job tests (starting one generates RSA keys, slow in debug builds).
let jobsHost = Task {
    try await EventsTestHost.start(
        http: true, control: true, amtCallTimeout: .seconds(5)
    ) { configuration in
        configuration.adminUser = "admin"
        configuration.adminPassword = restAdminPassword
    }
}
let restAdminPassword = "Jobs-Admin-P@ss1"

extension EventsIntegrationTests {
    @Suite(.serialized) struct FleetJobTests {
        /// 500 simulated devices, about 10% of them refusing channels (amtsim fault flag): the bulk
        /// power action reports every device, and exactly the faulty ones as failed.
        @Test func bulkPowerActionOverFiveHundredDevices() async throws {
            FileDescriptorLimit.raiseToMaximum()
            let bed = try await jobsHost.value
            let fleet = try await bed.fleet(count: 500, seed: 1400, tags: { $0 % 2 == 0 ? ["signage", "even"] : ["signage"] }, configure: {
                $0.faults.refuseChannels = 0.1
                $0.rampPerSecond = 100
            })
            let guids = fleet.devices.map { $0.configuration.uuid.guidString.lowercased() }
            let faulty = Set(fleet.devices.filter { $0.configuration.faults.refuseChannels != nil }.map { $0.configuration.uuid.guidString.lowercased() })
            #expect((25...75).contains(faulty.count), "about 10% faulty: \(faulty.count)")
            await fleet.start()
            defer { Task { await fleet.stop() } }
            #expect(await bed.waitForSessions(guids, timeout: .seconds(240)), "devices did not all connect")

            let clock = ContinuousClock()
            let began = clock.now
            let created = try await bed.host.bus.run(
                "jobs.create", args: ["kind": "power.action", "action": 8, "target": ["tags": ["signage"]], "concurrency": 25])
            let id = try #require(created["id"]?.stringValue)
            #expect(created["progress"]?["total"] == 500)
            let waited = try await bed.host.bus.run("jobs.wait", args: ["id": .string(id), "timeoutSeconds": 240])
            let elapsed = clock.now - began
            #expect(waited["status"] == "finished", "\(waited)")
            #expect(waited["progress"]?["done"] == 500 && waited["progress"]?["pending"] == 0)
            #expect(waited["progress"]?["failed"]?.intValue == faulty.count)
            #expect(waited["progress"]?["succeeded"]?.intValue == 500 - faulty.count)
            let detail = try await bed.host.bus.run("jobs.get", args: ["id": .string(id)])
            let results = try #require(detail["results"]?.arrayValue)
            #expect(results.count == 500)
            let failed = Set(results.filter { $0["status"] == "failed" }.compactMap { $0["guid"]?.stringValue })
            #expect(failed == faulty)
            for result in results where result["status"] == "failed" {
                #expect(result["error"]?["message"]?.stringValue?.isEmpty == false)
            }
            for result in results where result["status"] == "succeeded" {
                #expect(result["result"]?["returnValue"] == 0)
            }
            let onlyFailed = try await bed.host.bus.run("jobs.get", args: ["id": .string(id), "status": "failed"])
            #expect(onlyFailed["results"]?.arrayValue?.count == faulty.count)
            // The firmware of every healthy device is off now.
            let off = fleet.firmwares.filter { $0.state.powerState == 8 }.count
            #expect(off == 500 - faulty.count)
            print("bulk power action over 500 devices (25 at a time): \(elapsed)")

            let state = try await bed.host.bus.run(
                "jobs.create", args: ["kind": "power.state", "target": ["tags": ["signage", "even"], "method": "AND"], "concurrency": 25])
            let stateDone = try await bed.host.bus.run("jobs.wait", args: ["id": state["id"]!, "timeoutSeconds": 240])
            #expect(stateDone["progress"]?["total"] == 250)
            let evenFaulty = faulty.filter { guid in guids.firstIndex(of: guid)! % 2 == 0 }.count
            #expect(stateDone["progress"]?["failed"]?.intValue == evenFaulty, "\(stateDone)")
            let stateResults = try await bed.host.bus.run("jobs.get", args: ["id": state["id"]!, "status": "succeeded"])
            #expect(stateResults["results"]?.arrayValue?.allSatisfy { $0["result"]?["powerState"] == 8 } == true)
        }

        @Test func jobsWithoutDevicesOrWithBadArgumentsAreRefused() async throws {
            let bed = try await jobsHost.value
            let cases: [(JSONValue, String)] = [
                (["kind": "power.action", "action": 8, "target": ["guids": []]], "target.guids"),
                (["kind": "power.action", "action": 8, "target": ["tags": ["no-such-tag"]]], "target.tags"),
                (["kind": "power.action", "action": 8], "target"),
                (["kind": "power.action", "action": 8, "target": ["guids": ["a"], "tags": ["b"]]], "target"),
                (["kind": "power.action", "target": ["guids": ["a"]]], "action"),
                (["kind": "reboot-everything", "target": ["guids": ["a"]]], "kind"),
                (["kind": "power.state", "target": ["guids": ["a"]], "concurrency": 0], "concurrency"),
                (["kind": "power.state", "target": ["tags": ["x"], "method": "XOR"]], "target.method"),
            ]
            for (args, field) in cases {
                do {
                    _ = try await bed.host.bus.run("jobs.create", args: args)
                    Issue.record("accepted \(args)")
                } catch {
                    #expect(error.code == .badRequest, "\(args): \(error)")
                    #expect(error.detail?.arrayValue?.first?["field"]?.stringValue == field, "\(args): \(error)")
                }
            }
            await #expect(throws: CommandError.self) {
                try await bed.host.bus.run("jobs.create", args: ["kind": "power.action", "action": 99_999, "target": ["guids": ["a"]]])
            }
            let tooMany = (0...JobTarget.maxDevices).map { JSONValue.string(String(format: "00000000-0000-4000-8000-%012x", $0)) }
            do {
                _ = try await bed.host.bus.run("jobs.create", args: ["kind": "power.state", "target": ["guids": .array(tooMany)]])
                Issue.record("a job over 10,001 devices was accepted")
            } catch {
                #expect(error.code == .badRequest && error.message.contains("10000"), "\(error)")
            }
            await #expect(throws: CommandError.self) { try await bed.host.bus.run("jobs.get", args: ["id": "no-such-job"]) }
        }

        /// Unknown devices each fail with `not_connected` (no tunnel carries them: the power
        /// dispatch consults the tunnels, not the store); a job over 10,000 of them completes, in
        /// bounded time.
        @Test func unknownDevicesFailOneByOneEvenTenThousand() async throws {
            let bed = try await jobsHost.value
            let guids = (0..<JobTarget.maxDevices).map { JSONValue.string(String(format: "00000000-0000-4000-8000-%012x", $0)) }
            let created = try await bed.host.bus.run(
                "jobs.create", args: ["kind": "power.action", "action": "8", "target": ["guids": .array(guids)], "concurrency": 256])
            let done = try await bed.host.bus.run("jobs.wait", args: ["id": created["id"]!, "timeoutSeconds": 120])
            #expect(done["status"] == "finished")
            #expect(done["progress"]?["failed"] == 10_000, "\(done)")
            let detail = try await bed.host.bus.run("jobs.get", args: ["id": created["id"]!])
            #expect(detail["results"]?.arrayValue?.first?["error"]?["code"] == "not_connected")
        }

        /// Cancelling mid-run: the devices in flight are cancelled, the pending ones never start.
        @Test func cancellingAJobStopsIt() async throws {
            let bed = try await jobsHost.value
            let fleet = try await bed.fleet(count: 12, seed: 1401, configure: {
                $0.faults.slowWSMan = 1
                $0.faults.slowDelay = .seconds(3)
            })
            let guids = fleet.devices.map { $0.configuration.uuid.guidString.lowercased() }
            await fleet.start()
            defer { Task { await fleet.stop() } }
            #expect(await bed.waitForSessions(guids))
            let sink = EventSink()
            bed.host.events.subscribe(name: "cancel-test", patterns: [EventTypePattern("job.*")!]) { sink.take($0) }
            let created = try await bed.host.bus.run(
                "jobs.create", args: ["kind": "power.state", "target": ["guids": .array(guids.map(JSONValue.string))], "concurrency": 2])
            let id = try #require(created["id"]?.stringValue)
            #expect(await eventually { (try? await bed.host.bus.run("jobs.get", args: ["id": .string(id)]))?["progress"]?["running"] == 2 })
            let cancelled = try await bed.host.bus.run("jobs.cancel", args: ["id": .string(id)])
            #expect(cancelled["status"] == "cancelled", "\(cancelled)")
            #expect(cancelled["progress"]?["pending"] == 0 && cancelled["progress"]?["running"] == 0)
            #expect((cancelled["progress"]?["cancelled"]?.intValue ?? 0) >= 10, "\(cancelled)")
            let events = await sink.wait { $0.contains { $0.type == "job.finished" && $0.fields["jobId"]?.stringValue == id } }
            let finished = events.first { $0.type == "job.finished" && $0.fields["jobId"]?.stringValue == id }
            #expect(finished?.fields["status"] == "cancelled")
            #expect(events.contains { $0.type == "job.started" && $0.fields["jobId"]?.stringValue == id })
        }

        /// `/api/v1/jobs` over real HTTP: create, read, list, cancel, and the validation shape.
        @Test func restRoutesServeJobs() async throws {
            let bed = try await jobsHost.value
            let port = try #require(bed.host.httpPort)
            let base = "http://127.0.0.1:\(port)/api/v1"
            let login = try await Self.http("POST", base + "/authorize", ["username": "admin", "password": .string(restAdminPassword)])
            let token = try #require(login.json["token"]?.stringValue, "\(login)")
            let created = try await Self.http(
                "POST", base + "/jobs", ["kind": "power.state", "target": ["guids": ["11111111-2222-4333-8444-555555555555"]]], token: token)
            #expect(created.status == 201, "\(created)")
            let id = try #require(created.json["id"]?.stringValue)
            _ = try await bed.host.bus.run("jobs.wait", args: ["id": .string(id)])
            let read = try await Self.http("GET", base + "/jobs/\(id)?status=failed", token: token)
            #expect(read.status == 200 && read.json["results"]?.arrayValue?.count == 1, "\(read)")
            let list = try await Self.http("GET", base + "/jobs", token: token)
            #expect(list.json.arrayValue?.contains { $0["id"]?.stringValue == id } == true)
            let cancel = try await Self.http("POST", base + "/jobs/\(id)/cancel", token: token)
            #expect(cancel.status == 200 && cancel.json["status"] == "finished", "cancelling a finished job changes nothing: \(cancel)")
            let bad = try await Self.http("POST", base + "/jobs", ["kind": "power.state", "target": ["guids": []]], token: token)
            #expect(bad.status == 400 && bad.json["errors"]?.arrayValue?.first?["path"] == "target.guids", "\(bad)")
            let missing = try await Self.http("GET", base + "/jobs/no-such-job", token: token)
            #expect(missing.status == 404, "\(missing)")
            let anonymous = try await Self.http("GET", base + "/jobs")
            #expect(anonymous.status == 401)
        }

        /// `tether job …` through the running host's control socket.
        @Test func cliStartsWaitsAndListsJobs() async throws {
            let bed = try await jobsHost.value
            let tether = PluginSearchPath.executableDirectory + "/tether"
            let guid = "22222222-3333-4444-8555-666666666666"
            let started = try await ChildProcess.run(tether, ["job", "state", "--guid", guid, "--wait", "--data-dir", bed.dataDirectory])
            #expect(started.status == 0, "\(started.stderr)")
            let job = try JSONValue(parsing: started.stdout)
            #expect(job["status"] == "finished" && job["progress"]?["failed"] == 1, "\(started.stdout)")
            let id = try #require(job["id"]?.stringValue)
            let shown = try await ChildProcess.run(tether, ["job", "show", id, "--failed", "--data-dir", bed.dataDirectory])
            #expect(try JSONValue(parsing: shown.stdout)["results"]?.arrayValue?.first?["guid"]?.stringValue == guid, "\(shown.stdout)")
            let listed = try await ChildProcess.run(tether, ["job", "list", "--data-dir", bed.dataDirectory])
            #expect(listed.stdout.contains(id) && listed.stdout.contains("power.state"), "\(listed.stdout)")
            let refused = try await ChildProcess.run(tether, ["job", "power", "8", "--data-dir", bed.dataDirectory])
            #expect(refused.status != 0 && refused.stderr.contains("--guid"), "\(refused.stderr)")
            let bad = try await ChildProcess.run(tether, ["job", "power", "8", "--tags", "x", "--method", "XOR", "--data-dir", bed.dataDirectory])
            #expect(bad.status != 0 && bad.stderr.contains("method"), "\(bad.stderr)")
        }

        static func http(_ method: String, _ url: String, _ body: JSONValue? = nil, token: String? = nil) async throws -> (status: Int, json: JSONValue) {
            var request = URLRequest(url: URL(string: url)!)
            request.httpMethod = method
            if let body {
                request.httpBody = Data(body.encodedBytes())
                request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            }
            if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
            let (data, response) = try await URLSession.shared.data(for: request)
            return ((response as? HTTPURLResponse)?.statusCode ?? 0, (try? JSONValue(parsing: Array(data))) ?? .null)
        }
    }
}
