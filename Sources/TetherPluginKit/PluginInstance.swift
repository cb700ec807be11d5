import CTetherABI
import Dispatch
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The object behind a Swift plugin's `void *instance`: the plugin, its extension tables and
/// its in-flight requests (so `destroy` can cancel and drain them).
final class PluginInstance: Sendable {
    let plugin: any TetherPlugin
    let host: PluginHostConnection
    /// Extension id → table; allocated once, never freed (the host may keep the pointer).
    private let extensionTables: [String: ExtensionTable]
    private let inflight = Mutex<(tasks: [UInt64: Task<Void, Never>], closing: Bool, drained: DispatchSemaphore?)>(
        ([:], false, nil))

    init(plugin: any TetherPlugin, host: PluginHostConnection) {
        self.plugin = plugin
        self.host = host
        self.extensionTables = plugin.extensions.mapValues(ExtensionTable.init)
    }

    func extensionPointer(for id: String) -> UnsafeRawPointer? {
        extensionTables[id].map { UnsafeRawPointer($0.pointer) }
    }

    /// Starts handling `request`; false when the instance is closing.
    func start(id: UInt64, request: JSONValue, completion: CompletionTarget) -> Bool {
        inflight.withLock { state in
            guard !state.closing else { return false }
            // The task removes itself under the same lock, so it cannot run ahead of the insert.
            let context = PluginRequest(id: id, deadlineNanoseconds: host.deadline(ofRequest: id))
            state.tasks[id] = Task {
                let (status, body) = await PluginRequest.$current.withValue(context) { await self.run(request) }
                context.answered.set()
                completion.complete(status: status, body: body.encodedBytes(sortingKeys: false))
                // The last request to finish while `drain` waits wakes it.
                let waiter = self.inflight.withLock { state -> DispatchSemaphore? in
                    state.tasks.removeValue(forKey: id)
                    return state.closing && state.tasks.isEmpty ? state.drained : nil
                }
                waiter?.signal()
            }
            return true
        }
    }

    private func run(_ request: JSONValue) async -> (Int32, JSONValue) {
        do {
            return (TETHER_OK, try await plugin.handle(request))
        } catch let error as PluginError {
            return (error.status, error.body)
        } catch is CancellationError {
            return (TETHER_ERR_CANCELLED, ["error": "cancelled", "code": "cancelled"])
        } catch let error as HostCommandError {
            return (error.asPluginError.status, error.asPluginError.body)
        } catch {
            return (TETHER_ERR_GENERIC, ["error": .string("\(error)"), "code": "plugin_failure"])
        }
    }

    func cancel(id: UInt64) {
        inflight.withLock { $0.tasks[id] }?.cancel()
    }

    /// Cancels every in-flight request and waits (this thread only; the host calls `destroy`
    /// off the cooperative pool) until their callbacks have fired, at most `limit`.
    func drain(limit: Duration = .seconds(5)) {
        let drained = DispatchSemaphore(value: 0)
        let tasks = inflight.withLock { state -> [Task<Void, Never>] in
            state.closing = true
            state.drained = drained
            return Array(state.tasks.values)
        }
        guard !tasks.isEmpty else { return }
        tasks.forEach { $0.cancel() }
        let (seconds, attoseconds) = limit.components
        _ = drained.wait(timeout: .now() + .nanoseconds(Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000)))
    }
}

/// A `tether_extension_v1` table with its manifest bytes, kept alive for the process.
final class ExtensionTable: @unchecked Sendable {
    // @unchecked: written once in init, read-only afterwards.
    let pointer: UnsafeMutablePointer<tether_extension_v1>

    init(manifest: JSONValue) {
        let bytes = manifest.encodedBytes()
        let storage = UnsafeMutablePointer<CChar>.allocate(capacity: bytes.count + 1)
        bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { storage.initialize(from: $0.baseAddress!, count: bytes.count) }
        }
        storage[bytes.count] = 0
        pointer = .allocate(capacity: 1)
        pointer.initialize(
            to: tether_extension_v1(
                struct_size: UInt32(MemoryLayout<tether_extension_v1>.size), abi_version: TETHER_ABI_VERSION,
                manifest_json: UnsafePointer(storage), manifest_len: bytes.count))
    }
}

/// A completion function + context that may be invoked from any thread, exactly once.
struct CompletionTarget: @unchecked Sendable {
    let function: tether_complete_fn
    let context: UnsafeMutableRawPointer?

    func complete(status: Int32, body: [UInt8]) {
        body.withUnsafeBufferPointer { function(context, status, $0.baseAddress, $0.count) }
    }
}
