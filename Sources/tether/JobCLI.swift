import ArgumentParser
import TetherJSON

/// `tether job …`: fleet jobs (bulk power actions and power states) through the running host.
struct JobCLI: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "job",
        abstract: "Start, watch and cancel fleet jobs (bulk power action or power state).",
        discussion: """
            tether job power 8 --tags signage,lobby --method AND --concurrency 20 --wait
            tether job state --guid G1 --guid G2 ; tether job list ; tether job show ID --failed ; tether job cancel ID
            """,
        subcommands: [Power.self, State.self, List.self, Show.self, Cancel.self, Wait.self])

    /// The device selection shared by the job-starting subcommands.
    struct TargetOptions: ParsableArguments {
        @Option(name: .customLong("guid"), help: "A device GUID (repeatable).")
        var guids: [String] = []

        @Option(help: "Comma-separated tags selecting the devices.")
        var tags: String?

        @Option(help: "How tags combine: AND (all) or OR (any, the default).")
        var method: String?

        @Option(help: "Devices worked on at once (1-256, default 16).")
        var concurrency: Int?

        @Option(help: "Tenant of the devices (default \"\").")
        var tenantId: String?

        @Flag(help: "Wait until the job ends, then print it.")
        var wait = false

        func validate() throws {
            guard guids.isEmpty != (tags == nil) else {
                throw ValidationError("give either --guid (repeatable) or --tags")
            }
        }

        func arguments(kind: String) -> [String: JSONValue] {
            var target: [String: JSONValue] = [:]
            if let tags {
                target["tags"] = .array(tags.split(separator: ",").map { .string(String($0)) })
                if let method { target["method"] = .string(method) }
            } else {
                target["guids"] = .array(guids.map(JSONValue.string))
            }
            var args: [String: JSONValue] = ["kind": .string(kind), "target": .object(target)]
            if let concurrency { args["concurrency"] = .number(concurrency) }
            if let tenantId { args["tenantId"] = .string(tenantId) }
            return args
        }
    }

    /// Starts a job and prints it (after it ended, with `--wait`).
    static func start(_ args: [String: JSONValue], wait: Bool, options: HostOptions) async throws {
        let runner = CommandRunner(options: options)
        let job = try await runner.run("jobs.create", args: .object(args))
        guard wait, let id = job["id"] else {
            print(job.jsonString)
            return
        }
        print(try await waitForEnd(id, runner: runner).jsonString)
    }

    /// Waits (in 60-second host waits) until the job is no longer running.
    static func waitForEnd(_ id: JSONValue, runner: CommandRunner) async throws -> JSONValue {
        while true {
            let job = try await runner.run("jobs.wait", args: ["id": id, "timeoutSeconds": 60])
            if job["status"]?.stringValue != "running" { return job }
        }
    }

    struct Power: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Run a power action (code or name) on many devices.")
        @OptionGroup var options: HostOptions
        @Argument(help: "Action code (e.g. 10) or name (e.g. reset).") var action: String
        @Flag(name: .long, help: "Redirect the console to SOL for boot actions.") var useSOL = false
        @OptionGroup var target: TargetOptions

        func run() async throws {
            var args = target.arguments(kind: "power.action")
            args["action"] = Int(action).map { .number($0) } ?? .string(action)
            args["useSOL"] = .bool(useSOL)
            try await JobCLI.start(args, wait: target.wait, options: options)
        }
    }

    struct State: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Read the power state of many devices.")
        @OptionGroup var options: HostOptions
        @OptionGroup var target: TargetOptions

        func run() async throws {
            try await JobCLI.start(target.arguments(kind: "power.state"), wait: target.wait, options: options)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List jobs (newest first) with their progress.")
        @OptionGroup var options: HostOptions

        func run() async throws {
            let result = try await CommandRunner(options: options).run("jobs.list", args: [:])
            for job in result["jobs"]?.arrayValue ?? [] {
                let progress = job["progress"] ?? [:]
                let counts = ["done", "failed", "pending"].map { "\($0) \(progress[$0]?.intValue ?? 0)" }.joined(separator: "  ")
                print("\(job["id"]?.stringValue ?? "?")  \(job["kind"]?.stringValue ?? "")  \(job["status"]?.stringValue ?? "")  "
                      + "total \(progress["total"]?.intValue ?? 0)  \(counts)")
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a job with its per-device results.")
        @OptionGroup var options: HostOptions
        @Argument(help: "Job id.") var id: String
        @Flag(help: "Only the devices that failed.") var failed = false

        func run() async throws {
            var args: [String: JSONValue] = ["id": .string(id)]
            if failed { args["status"] = "failed" }
            print(try await CommandRunner(options: options).run("jobs.get", args: .object(args)).jsonString)
        }
    }

    struct Cancel: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Cancel a running job.")
        @OptionGroup var options: HostOptions
        @Argument(help: "Job id.") var id: String

        func run() async throws {
            print(try await CommandRunner(options: options).run("jobs.cancel", args: ["id": .string(id)]).jsonString)
        }
    }

    struct Wait: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Wait until a job ends, then print it.")
        @OptionGroup var options: HostOptions
        @Argument(help: "Job id.") var id: String

        func run() async throws {
            print(try await JobCLI.waitForEnd(.string(id), runner: CommandRunner(options: options)).jsonString)
        }
    }
}
