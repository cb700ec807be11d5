import CTetherABI
import TetherJSON

/// Runs the host commands plugins submit (`submit`, `submit_within`): linked to the request
/// they were submitted for, under its deadline (or an earlier one the plugin asked for), and
/// cancellable with `cancel_submit`. The callback fires exactly once.
enum HostSubmission {
    static func start(
        _ plugin: PluginContext, parent: UInt64, deadline: UInt64, json: UnsafePointer<UInt8>?, length: Int,
        callback: tether_complete_fn?, context: UnsafeMutableRawPointer?, out: UnsafeMutablePointer<UInt64>?
    ) -> Int32 {
        guard let callback, let json else { return TETHER_ERR_BAD_REQUEST }
        guard let request = try? JSONValue(parsing: UnsafeBufferPointer(start: json, count: length)),
            request["command"]?.stringValue != nil
        else {
            plugin.logger.warning(
                "plugin submitted a request that is not {\"command\":…,\"args\":…} JSON",
                metadata: ["plugin": "\(plugin.pluginID)"])
            return TETHER_ERR_BAD_REQUEST
        }
        let target = CompletionTarget(function: callback, context: context)
        return start(plugin, parent: parent, deadline: deadline, request: request, out: out) { status, body in
            target.complete(status: status, body: body.encodedBytes(sortingKeys: false))
        }
    }

    /// Starts `request` (`{"command","args"}`); `completion` gets the status and the result or
    /// error body, exactly once, unless the submit is refused (the status returned).
    static func start(
        _ plugin: PluginContext, parent: UInt64, deadline: UInt64, request: JSONValue,
        out: UnsafeMutablePointer<UInt64>? = nil, completion: @escaping @Sendable (Int32, JSONValue) -> Void
    ) -> Int32 {
        let name = request["command"]?.stringValue ?? "?"
        let own = deadline == 0 ? nil : CommandDeadline.instant(ofMonotonic: deadline)
        let scopes = plugin.scopes
        let id: UInt64
        let effective: ContinuousClock.Instant?
        switch scopes.beginSubmission(parent: parent, pluginID: plugin.pluginID, deadline: own) {
        case .success(let begun): (id, effective) = begun
        case .failure(.parentGone):
            plugin.logger.debug(
                "refused a submit for a request that is no longer in flight",
                metadata: ["plugin": "\(plugin.pluginID)", "request": "\(parent)", "command": "\(name)"])
            return TETHER_ERR_CANCELLED
        case .failure(.expired): return TETHER_ERR_TIMEOUT
        }
        out?.pointee = id
        let bus = plugin.bus
        let logID = parent == 0 ? nil : scopes.logID(of: parent)
        // One task runs the command; the deadline and `cancel_submit` (which cancels it) end
        // the submission at once, whatever the command does after that.
        let task = CommandRace.start(deadline: effective, what: "command '\(name)'") {
            await RequestLogContext.$requestID.withValue(logID) { await bus.result(request: request) }
        } finish: { result in
            scopes.endSubmission(id)
            switch result {
            case .success(let value): completion(TETHER_OK, value)
            case .failure(let error): completion(error.abiStatus, error.json)
            }
        }
        scopes.attach(task, to: id)
        return TETHER_OK
    }
}
