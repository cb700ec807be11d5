import CTetherABI
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The entry-point boilerplate for Swift plugins. A plugin exports exactly this:
///
/// ```swift
/// @c(tether_plugin_entry)
/// public func tetherPluginEntry(_ hostABI: UInt32) -> UnsafeRawPointer? {
///     PluginExport.entry(hostABI: hostABI, info: MyPlugin.info, plugin: MyPlugin.self)
/// }
/// ```
public enum PluginExport {
    /// The descriptor is immutable static memory once built.
    private struct DescriptorPointer: @unchecked Sendable { let raw: UnsafeRawPointer }

    private static let registered = Mutex<(type: (any TetherPlugin.Type)?, descriptor: DescriptorPointer?)>((nil, nil))

    /// Returns this image's descriptor (built once), or nil for a host of another ABI major.
    public static func entry<P: TetherPlugin>(hostABI: UInt32, info: PluginInfo, plugin: P.Type) -> UnsafeRawPointer? {
        guard hostABI >> 16 == TETHER_ABI_VERSION_MAJOR else { return nil }
        let built = registered.withLock { state -> DescriptorPointer in
            if let descriptor = state.descriptor { return descriptor }
            state.type = plugin
            let descriptor = UnsafeMutablePointer<tether_plugin_descriptor>.allocate(capacity: 1)
            descriptor.initialize(
                to: tether_plugin_descriptor(
                    struct_size: UInt32(MemoryLayout<tether_plugin_descriptor>.size),
                    abi_version: TETHER_ABI_VERSION,
                    id: UnsafePointer(strdup(info.id)),
                    name: UnsafePointer(strdup(info.name)),
                    version: UnsafePointer(strdup(info.version)),
                    reserved_flags: 0,
                    create: createThunk,
                    destroy: destroyThunk,
                    handle: handleThunk,
                    cancel: cancelThunk,
                    get_extension: getExtensionThunk))
            let pointer = DescriptorPointer(raw: UnsafeRawPointer(descriptor))
            state.descriptor = pointer
            return pointer
        }
        return built.raw
    }

    fileprivate static var pluginType: (any TetherPlugin.Type)? { registered.withLock { $0.type } }
}

private func instance(_ raw: UnsafeMutableRawPointer?) -> PluginInstance? {
    raw.map { Unmanaged<PluginInstance>.fromOpaque($0).takeUnretainedValue() }
}

private let createThunk:
    @convention(c) (UnsafePointer<tether_host_api>?, UnsafePointer<UInt8>?, Int, UnsafeMutablePointer<UnsafeMutableRawPointer?>?)
        -> Int32 = { api, config, length, out in
            guard let api, let out, let type = PluginExport.pluginType else { return TETHER_ERR_BAD_REQUEST }
            // Negotiated by struct_size: any table with every v1.0 field will do (newer fields
            // are used only where the host provides them).
            guard let host = PluginHostConnection(api: api) else { return TETHER_ERR_ABI }
            let configValue: JSONValue
            if let config, length > 0 {
                guard let parsed = try? JSONValue(parsing: UnsafeBufferPointer(start: config, count: length)) else {
                    host.log(.error, "configuration is not valid JSON")
                    return TETHER_ERR_BAD_REQUEST
                }
                configValue = parsed
            } else {
                configValue = .object([:])
            }
            do {
                let plugin = try type.init(host: host, config: configValue)
                out.pointee = Unmanaged.passRetained(PluginInstance(plugin: plugin, host: host)).toOpaque()
                return TETHER_OK
            } catch {
                host.log(.error, "create failed: \(error)")
                return (error as? PluginError)?.status ?? TETHER_ERR_GENERIC
            }
        }

private let destroyThunk: @convention(c) (UnsafeMutableRawPointer?) -> Void = { raw in
    guard let raw else { return }
    let unmanaged = Unmanaged<PluginInstance>.fromOpaque(raw)
    unmanaged.takeUnretainedValue().drain()
    unmanaged.release()
}

private let handleThunk:
    @convention(c) (
        UnsafeMutableRawPointer?, UInt64, UnsafePointer<UInt8>?, Int, tether_complete_fn?, UnsafeMutableRawPointer?
    ) -> Int32 = { raw, requestID, json, length, callback, context in
        guard let instance = instance(raw), let callback, let json else { return TETHER_ERR_BAD_REQUEST }
        // The request bytes are borrowed: parsing copies them before any thread hop.
        guard let request = try? JSONValue(parsing: UnsafeBufferPointer(start: json, count: length)) else {
            return TETHER_ERR_BAD_REQUEST
        }
        let target = CompletionTarget(function: callback, context: context)
        return instance.start(id: requestID, request: request, completion: target) ? TETHER_OK : TETHER_ERR_SHUTDOWN
    }

private let cancelThunk: @convention(c) (UnsafeMutableRawPointer?, UInt64) -> Void = { raw, requestID in
    instance(raw)?.cancel(id: requestID)
}

private let getExtensionThunk: @convention(c) (UnsafeMutableRawPointer?, UnsafePointer<CChar>?) -> UnsafeRawPointer? = {
    raw, id in
    guard let id, let instance = instance(raw) else { return nil }
    return instance.extensionPointer(for: String(cString: id))
}
