import PluginHost
import TetherJSON

extension TetherHost {
    /// Registers `jobs.create`, `jobs.get`, `jobs.list`, `jobs.cancel` and `jobs.wait`.
    ///
    /// Kinds: `power.action` (`{action: code|name, useSOL?}`, through `power.action`; a device
    /// succeeds when the firmware answers ReturnValue 0) and `power.state` (`amt.power.state`).
    func registerJobCommands() {
        bus.register(
            name: "jobs.create",
            summary: "Start a fleet job {kind: power.action|power.state, target: {guids}|{tags, method: AND|OR}, action?, useSOL?, concurrency? 1-256 (16), tenantId?} → job",
            provider: "host"
        ) { [weak self] args in
            guard let self else { throw CommandError(.unavailable, "the host is shutting down") }
            return try await self.createJob(args).json(results: false)
        }
        bus.register(
            name: "jobs.get", summary: "A job with progress and per-device results {id, results?: true, status?: failed|…} → job",
            provider: "host"
        ) { [weak self] args in
            let job = try self?.existingJob(args)
            let only = try Self.deviceStatusFilter(args)
            return job?.json(results: args["results"]?.boolValue ?? true, only: only) ?? .null
        }
        bus.register(name: "jobs.list", summary: "Jobs, newest first, with progress {tenantId?} → {jobs:[…]}", provider: "host") {
            [weak self] args in
            let tenant = args["tenantId"]?.stringValue
            let jobs = (self?.jobs.list() ?? []).filter { tenant == nil || $0.tenantId == tenant }
            return ["jobs": .array(jobs.map { $0.json(results: false) })]
        }
        bus.register(name: "jobs.cancel", summary: "Cancel a running job {id} → job (pending devices are not started)", provider: "host") {
            [weak self] args in
            guard let job = try self?.existingJob(args) else { return .null }
            job.cancel()
            await Self.waitUntilDone(job, timeout: .seconds(30))
            return job.json(results: false)
        }
        bus.register(
            name: "jobs.wait", summary: "Wait until a job ends, at most timeoutSeconds (30, ≤ 300) {id, timeoutSeconds?} → job",
            provider: "host"
        ) { [weak self] args in
            guard let job = try self?.existingJob(args) else { return .null }
            let seconds = args["timeoutSeconds"]?.doubleValue ?? 30
            guard seconds > 0, seconds <= 300 else { throw JobErrors.field("timeoutSeconds", "must be in (0, 300]") }
            await Self.waitUntilDone(job, timeout: .milliseconds(Int64(seconds * 1000)))
            return job.json(results: false)
        }
    }

    private func createJob(_ args: JSONValue) async throws(CommandError) -> FleetJob {
        let tenantId = args["tenantId"]?.stringValue ?? ""
        let concurrency = args["concurrency"]?.intValue ?? 16
        guard JobManager.concurrencyRange.contains(concurrency) else {
            throw JobErrors.field("concurrency", "must be an integer in \(JobManager.concurrencyRange.lowerBound)–\(JobManager.concurrencyRange.upperBound)")
        }
        let target = try JobTarget(json: args["target"], tenantId: tenantId)
        let kind = args["kind"]?.stringValue ?? ""
        let parameters: JSONValue
        let work: JobManager.Work
        switch kind {
        case "power.action":
            guard let action = args["action"], action.intValue != nil || action.stringValue?.isEmpty == false else {
                throw JobErrors.field("action", "a power action code or name is required")
            }
            _ = try powerActionCatalog().resolve(action)
            if let useSOL = args["useSOL"], useSOL.boolValue == nil { throw JobErrors.field("useSOL", "must be true or false") }
            parameters = ["action": action, "useSOL": .bool(args["useSOL"]?.boolValue ?? false)]
            work = { [bus] guid in
                let result = try await bus.run("power.action", args: ["guid": .string(guid), "action": action, "useSOL": parameters["useSOL"]!])
                if let value = result["returnValue"]?.intValue, value != 0 {
                    let text = result["returnValueName"]?.stringValue ?? "?"
                    throw CommandError(.deviceError, "the device returned \(value) (\(text))", detail: result)
                }
                return result
            }
        case "power.state":
            parameters = [:]
            work = { [bus] guid in try await bus.run("amt.power.state", args: ["guid": .string(guid)]) }
        default:
            throw JobErrors.field("kind", "must be power.action or power.state")
        }
        let guids = try await target.resolve(store: store)
        logger.info("fleet job started", metadata: ["kind": "\(kind)", "devices": "\(guids.count)", "concurrency": "\(concurrency)"])
        return jobs.start(
            kind: kind, tenantId: tenantId, concurrency: concurrency, parameters: parameters, target: target, guids: guids,
            events: events, work: work)
    }

    private func existingJob(_ args: JSONValue) throws(CommandError) -> FleetJob {
        guard let id = args["id"]?.stringValue, !id.isEmpty else { throw JobErrors.field("id", "a job id is required") }
        guard let job = jobs.job(id: id.lowercased()) else { throw CommandError(.notFound, "no job '\(id)' (finished jobs are kept for a while, not forever)") }
        return job
    }

    /// The power actions the loaded plugins contribute (to refuse an unknown action before starting).
    private func powerActionCatalog() -> PowerActionCatalog {
        PowerActionCommands(
            bus: bus, plugins: plugins, precedence: configuration.powerActionPrecedence, isConnected: { _ in false },
            actionTimeout: .seconds(1), logger: logger
        ).catalog()
    }

    private static func deviceStatusFilter(_ args: JSONValue) throws(CommandError) -> FleetJob.DeviceStatus? {
        guard let text = args["status"]?.stringValue else { return nil }
        guard let status = FleetJob.DeviceStatus(rawValue: text) else {
            throw JobErrors.field("status", "must be pending, running, succeeded, failed or cancelled")
        }
        return status
    }

    static func waitUntilDone(_ job: FleetJob, timeout: Duration) async {
        let deadline = ContinuousClock.now + timeout
        while !job.isDone, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(25))
        }
    }
}
