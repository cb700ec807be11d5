import CTetherABI
import TetherJSON

#if canImport(Glibc)
import Glibc
#endif

/// A plugin refused at load time, with the one-line reason `tether plugins list` shows.
public struct PluginLoadError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var reason: String
    /// The plugin id, when the descriptor was readable.
    public var id: String?
    public var description: String { "\(path): \(reason)" }
}

/// The extension ids whose manifests the host reads from every plugin.
public enum ExtensionID {
    public static let commands = TETHER_EXT_COMMANDS
    public static let powerActions = TETHER_EXT_POWER_ACTIONS
    public static let profilePolicy = TETHER_EXT_PROFILE_POLICY
    public static let frontendHTTP = TETHER_EXT_FRONTEND_HTTP
    /// Event subscriptions (issue 14; see the header's REQUESTS list).
    public static let events = "tether.events/1"
    public static let all = [commands, powerActions, profilePolicy, frontendHTTP, events]
}

/// A validated descriptor, read from a dlopen'ed image but not yet instantiated.
struct PluginImage {
    var path: String
    var descriptor: UnsafePointer<tether_plugin_descriptor>
    var id: String
    var name: String
    var version: String
    var abiVersion: UInt32
}

/// Opens plugin files and checks their descriptors. Never `dlclose`s (see the header).
enum PluginLoader {
    typealias EntryFunction = @convention(c) (UInt32) -> UnsafePointer<tether_plugin_descriptor>?

    /// v1.0's descriptor size: every v1.0 field is required.
    static let minimumDescriptorSize = MemoryLayout<tether_plugin_descriptor>.size

    /// dlopen + dlsym + entry + descriptor checks.
    static func open(path: String) throws(PluginLoadError) -> PluginImage {
        func fail(_ reason: String, id: String? = nil) -> PluginLoadError {
            PluginLoadError(path: path, reason: reason, id: id)
        }
        if let problem = PluginFileTrust.problem(path: path) { throw fail(problem) }
        _ = dlerror()
        guard let handle = dlopen(path, RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE) else {
            throw fail("not a loadable library: \(lastDLError())")
        }
        guard let symbol = dlsym(handle, TETHER_ENTRY_SYMBOL) else {
            throw fail("no '\(TETHER_ENTRY_SYMBOL)' entry function exported")
        }
        let entry = unsafeBitCast(symbol, to: EntryFunction.self)
        guard let descriptor = entry(TETHER_ABI_VERSION) else {
            throw fail("the entry function returned NULL (the plugin refused host ABI \(abiText(TETHER_ABI_VERSION)))")
        }
        // Read the stamp first: nothing beyond struct_size may be touched.
        let raw = UnsafeRawPointer(descriptor)
        let structSize = raw.load(as: UInt32.self)
        let abiVersion = raw.load(fromByteOffset: 4, as: UInt32.self)
        guard abiVersion >> 16 == TETHER_ABI_VERSION_MAJOR else {
            throw fail(
                "ABI major version \(abiVersion >> 16) (plugin built for ABI \(abiText(abiVersion))); this host speaks ABI \(abiText(TETHER_ABI_VERSION))"
            )
        }
        guard Int(structSize) >= minimumDescriptorSize else {
            throw fail("descriptor struct_size \(structSize) is smaller than the v1.0 size \(minimumDescriptorSize)")
        }
        let d = descriptor.pointee
        guard let idPointer = d.id, let id = validUTF8(idPointer), isValidPluginID(id) else {
            throw fail("descriptor id is missing or not a reverse-DNS name ([A-Za-z0-9._-], 3–128 characters)")
        }
        guard d.reserved_flags == 0 else { throw fail("reserved_flags must be 0 in ABI v1", id: id) }
        guard d.create != nil, d.destroy != nil, d.handle != nil, d.cancel != nil else {
            throw fail("descriptor lacks a required function (create, destroy, handle, cancel)", id: id)
        }
        let name = d.name.flatMap(validUTF8) ?? id
        let version = d.version.flatMap(validUTF8) ?? "0.0.0"
        return PluginImage(path: path, descriptor: descriptor, id: id, name: name, version: version, abiVersion: abiVersion)
    }

    /// Reads the manifests an instance declares for the known extension ids.
    static func contributions(
        of image: PluginImage, instance: UnsafeMutableRawPointer?
    ) throws(PluginLoadError) -> [String: JSONValue] {
        guard let getExtension = image.descriptor.pointee.get_extension else { return [:] }
        var result: [String: JSONValue] = [:]
        for extensionID in ExtensionID.all {
            guard let pointer = getExtension(instance, extensionID) else { continue }
            let raw = UnsafeRawPointer(pointer)
            let size = raw.load(as: UInt32.self)
            guard Int(size) >= MemoryLayout<tether_extension_v1>.size else {
                throw PluginLoadError(
                    path: image.path, reason: "extension '\(extensionID)' has struct_size \(size), too small", id: image.id)
            }
            let ext = raw.assumingMemoryBound(to: tether_extension_v1.self).pointee
            guard let manifest = ext.manifest_json, ext.manifest_len <= 1 << 20 else {
                throw PluginLoadError(path: image.path, reason: "extension '\(extensionID)' has no manifest", id: image.id)
            }
            let bytes = UnsafeRawBufferPointer(start: manifest, count: ext.manifest_len)
            do {
                let value = try JSONValue(parsing: bytes)
                guard value.objectValue != nil else {
                    throw JSONParseError(description: "the manifest is not a JSON object")
                }
                result[extensionID] = value
            } catch {
                throw PluginLoadError(
                    path: image.path, reason: "extension '\(extensionID)' manifest: \(error)", id: image.id)
            }
        }
        return result
    }

    static func abiText(_ version: UInt32) -> String { "\(version >> 16).\(version & 0xFFFF)" }

    private static func lastDLError() -> String {
        guard let message = dlerror() else { return "unknown dlopen error" }
        return String(cString: message)
    }

    private static func validUTF8(_ pointer: UnsafePointer<CChar>) -> String? {
        let length = strnlen(pointer, 256)
        guard length < 256 else { return nil }
        let bytes = UnsafeRawBufferPointer(start: pointer, count: length)
        return String(validating: bytes, as: UTF8.self)
    }

    static func isValidPluginID(_ id: String) -> Bool {
        guard (3...128).contains(id.utf8.count), id.contains(".") else { return false }
        return id.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == 0x2E || byte == 0x2D || byte == 0x5F
        }
    }
}
