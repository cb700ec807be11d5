import CTetherABI
import Synchronization
import TetherJSON

#if canImport(Glibc)
import Glibc
#endif

/// A parsed JSON value handed to C plugins as an opaque `tether_json *` (C helpers): readers
/// take a dotted path. Strings read from it are copied to C memory that lives as long as the
/// handle. Thread-safe.
final class CJSONHandle: Sendable {
    let value: JSONValue
    /// Addresses of the C strings handed out (bit patterns: pointers are not Sendable).
    private let strings = Mutex<[UInt]>([])

    init(_ value: JSONValue) {
        self.value = value
    }

    deinit {
        strings.withLock { $0.forEach { free(UnsafeMutableRawPointer(bitPattern: $0)) } }
    }

    /// The member at `path` ("a.b.0"; "" or nil = the value itself).
    func member(at path: UnsafePointer<CChar>?) -> JSONValue? {
        guard let path, path.pointee != 0 else { return value }
        var current: JSONValue? = value
        for part in String(cString: path).split(separator: ".", omittingEmptySubsequences: false) {
            guard let node = current else { return nil }
            let key = String(part)
            if case .array(let items) = node, let index = Int(key) {
                current = items.indices.contains(index) ? items[index] : nil
            } else {
                current = node[key]
            }
        }
        return current
    }

    /// A C copy of a string member, valid until the handle is released.
    func cString(_ text: String) -> UnsafePointer<CChar> {
        let copy = strdup(text)!
        let address = UInt(bitPattern: copy)
        strings.withLock { $0.append(address) }
        return UnsafePointer(copy)
    }

    /// The opaque pointer for C (retained: release with `release(_:)`).
    func retainedPointer() -> OpaquePointer { OpaquePointer(Unmanaged.passRetained(self).toOpaque()) }

    static func from(_ pointer: OpaquePointer?) -> CJSONHandle? {
        pointer.map { Unmanaged<CJSONHandle>.fromOpaque(UnsafeRawPointer($0)).takeUnretainedValue() }
    }

    static func release(_ pointer: OpaquePointer?) {
        guard let pointer else { return }
        Unmanaged<CJSONHandle>.fromOpaque(UnsafeRawPointer(pointer)).release()
    }
}

/// Named C arguments (`tether_arg`, built with the header's TETHER_* macros) as JSON.
enum CArguments {
    /// The object of `count` named arguments; nil when one has no name or an unknown type, a
    /// string is not UTF-8, or nesting is deeper than 16 levels.
    static func object(_ args: UnsafePointer<tether_arg>?, count: Int, depth: Int = 0) -> JSONValue? {
        guard let values = values(args, count: count, depth: depth, named: true) else { return nil }
        return .object(Dictionary(values.map { ($0.name!, $0.value) }, uniquingKeysWith: { _, last in last }))
    }

    private static func values(
        _ args: UnsafePointer<tether_arg>?, count: Int, depth: Int, named: Bool
    ) -> [(name: String?, value: JSONValue)]? {
        guard count > 0 else { return [] }
        guard let args, count <= 1024, depth < 16 else { return nil }
        var result: [(name: String?, value: JSONValue)] = []
        for index in 0..<count {
            let arg = args[index]
            let name = arg.name.flatMap(String.init(validatingCString:))
            if named && name == nil { return nil }
            let value: JSONValue
            switch arg.type {
            case TETHER_ARG_INT: value = .int(arg.integer)
            case TETHER_ARG_DOUBLE: value = .double(arg.number)
            case TETHER_ARG_BOOL: value = .bool(arg.integer != 0)
            case TETHER_ARG_STRING:
                guard let text = arg.text.flatMap(String.init(validatingCString:)) else { return nil }
                value = .string(text)
            case TETHER_ARG_VALUE:
                value = CJSONHandle.from(arg.value)?.member(at: arg.text) ?? .null
            case TETHER_ARG_OBJECT:
                guard let nested = object(arg.items, count: Int(clamping: arg.integer), depth: depth + 1) else { return nil }
                value = nested
            case TETHER_ARG_ARRAY:
                guard let items = values(arg.items, count: Int(clamping: arg.integer), depth: depth + 1, named: false) else {
                    return nil
                }
                value = .array(items.map(\.value))
            default: return nil
            }
            result.append((name, value))
        }
        return result
    }
}
