import CFFI
import CTetherABI
import TetherJSON

#if canImport(Glibc)
import Glibc
#endif

/// One typed C command of a plugin: its checked signature, the function and a prepared libffi
/// call interface. Calls decode JSON arguments by name into C values and encode the result.
///
/// `@unchecked Sendable`: the cif and its type array are written once in init and only read
/// (by `ffi_call`, which does not modify them) afterwards; the function pointer is static code.
final class CCommand: @unchecked Sendable {
    let name: String
    let summary: String
    let signature: CCommandSignature
    private let function: @convention(c) () -> Void
    private let cif: UnsafeMutablePointer<ffi_cif>
    private let argumentTypes: UnsafeMutablePointer<UnsafeMutablePointer<ffi_type>?>

    init(name: String, summary: String, signature: CCommandSignature, function: @escaping @convention(c) () -> Void) throws(CCommandSignature.Problem) {
        self.name = name
        self.summary = summary
        self.signature = signature
        self.function = function
        let count = signature.parameters.count + (signature.isAsynchronous ? 1 : 0)
        argumentTypes = .allocate(capacity: max(count, 1))
        for (index, parameter) in signature.parameters.enumerated() { argumentTypes[index] = Self.ffiType(parameter.type) }
        if signature.isAsynchronous { argumentTypes[count - 1] = tether_ffi_pointer() }
        cif = .allocate(capacity: 1)
        guard tether_ffi_prepare(cif, UInt32(count), Self.ffiType(signature.returns), argumentTypes) != 0 else {
            throw CCommandSignature.Problem(description: "libffi cannot prepare this call")
        }
    }

    deinit {
        cif.deallocate()
        argumentTypes.deallocate()
    }

    /// Calls the function with `args` (a JSON object) and, for an asynchronous command, `reply`.
    /// Returns the encoded result (nil for an asynchronous command: the answer comes later).
    func invoke(_ args: JSONValue, reply: OpaquePointer?) throws(CommandError) -> JSONValue? {
        let values = try decode(args)
        // One 8-byte slot per argument (every supported C type fits), plus the reply pointer.
        let count = signature.parameters.count + (signature.isAsynchronous ? 1 : 0)
        let slots = UnsafeMutableRawPointer.allocate(byteCount: max(count, 1) * 8, alignment: 8)
        let pointers = UnsafeMutablePointer<UnsafeMutableRawPointer?>.allocate(capacity: max(count, 1))
        var strings: [UnsafeMutablePointer<CChar>] = []
        defer {
            strings.forEach { free($0) }
            slots.deallocate()
            pointers.deallocate()
        }
        for (index, value) in values.enumerated() {
            let slot = slots.advanced(by: index * 8)
            switch value {
            case .bool(let flag): slot.storeBytes(of: flag ? UInt8(1) : 0, as: UInt8.self)
            case .int32(let number): slot.storeBytes(of: number, as: Int32.self)
            case .uint32(let number): slot.storeBytes(of: number, as: UInt32.self)
            case .int64(let number): slot.storeBytes(of: number, as: Int64.self)
            case .uint64(let number): slot.storeBytes(of: number, as: UInt64.self)
            case .double(let number): slot.storeBytes(of: number, as: Double.self)
            case .text(let text):
                let copy = strdup(text)!
                strings.append(copy)
                slot.storeBytes(of: UnsafeRawPointer(copy), as: UnsafeRawPointer.self)
            }
            pointers[index] = slot
        }
        if signature.isAsynchronous {
            let slot = slots.advanced(by: (count - 1) * 8)
            slot.storeBytes(of: reply.map { UnsafeRawPointer($0) }, as: UnsafeRawPointer?.self)
            pointers[count - 1] = slot
        }
        var result: UInt64 = 0  // ffi_arg-sized: small integer returns are widened into it
        withUnsafeMutableBytes(of: &result) { buffer in
            ffi_call(cif, function, buffer.baseAddress, pointers)
        }
        return try encode(result)
    }

    /// A decoded C argument.
    private enum CValue {
        case bool(Bool), int32(Int32), uint32(UInt32), int64(Int64), uint64(UInt64), double(Double), text(String)
    }

    private func decode(_ args: JSONValue) throws(CommandError) -> [CValue] {
        guard args.objectValue != nil || args.isNull else {
            throw CommandError(.badRequest, "\(name) takes an object of named arguments")
        }
        var values: [CValue] = []
        var problems: [JSONValue] = []
        for parameter in signature.parameters {
            guard let value = args[parameter.name] else {
                problems.append(["field": .string(parameter.name), "message": .string("is required (\(parameter.type.rawValue))")])
                continue
            }
            if let decoded = Self.decode(value, as: parameter.type) {
                values.append(decoded)
            } else {
                problems.append(["field": .string(parameter.name), "message": .string("must be \(Self.phrase(parameter.type))")])
            }
        }
        guard problems.isEmpty else {
            let names = problems.compactMap { $0["field"]?.stringValue }.joined(separator: ", ")
            throw CommandError(.badRequest, "\(name): invalid argument(s) \(names)", detail: .array(problems))
        }
        return values
    }

    private static func decode(_ value: JSONValue, as type: CCommandSignature.ValueType) -> CValue? {
        switch type {
        case .bool: value.boolValue.map(CValue.bool)
        case .int32: value.intValue.flatMap { Int32(exactly: $0) }.map(CValue.int32)
        case .uint32: value.intValue.flatMap { UInt32(exactly: $0) }.map(CValue.uint32)
        case .int64: value.intValue.map { CValue.int64(Int64($0)) }
        case .uint64: value.intValue.flatMap { UInt64(exactly: $0) }.map(CValue.uint64)
        case .double: value.doubleValue.map(CValue.double)
        case .string: value.stringValue.flatMap { $0.utf8.contains(0) ? nil : CValue.text($0) }
        case .json: .text(value.jsonString)
        }
    }

    private static func phrase(_ type: CCommandSignature.ValueType) -> String {
        switch type {
        case .bool: "true or false"
        case .int32: "an integer that fits in 32 bits"
        case .uint32: "a non-negative integer that fits in 32 bits"
        case .int64: "an integer"
        case .uint64: "a non-negative integer"
        case .double: "a number"
        case .string: "a string (without NUL)"
        case .json: "JSON"
        }
    }

    private func encode(_ raw: UInt64) throws(CommandError) -> JSONValue? {
        let value: JSONValue
        switch signature.returns {
        case .void: return signature.isAsynchronous ? nil : .object([:])
        case .bool: value = .bool(raw & 0xFF != 0)
        case .int32: value = .int(Int64(Int32(truncatingIfNeeded: raw)))
        case .uint32: value = .int(Int64(UInt32(truncatingIfNeeded: raw)))
        case .int64: value = .int(Int64(bitPattern: raw))
        case .uint64:
            guard let exact = Int64(exactly: raw) else { return ["result": .double(Double(raw))] }
            value = .int(exact)
        case .double: value = .double(Double(bitPattern: raw))
        case .string:
            guard let pointer = UnsafeMutablePointer<CChar>(bitPattern: UInt(raw)) else {
                throw CommandError(.pluginFailure, "\(name) returned no string")
            }
            defer { free(pointer) }  // from host->alloc (malloc)
            guard let text = String(validatingCString: pointer) else {
                throw CommandError(.pluginFailure, "\(name) returned a string that is not UTF-8")
            }
            value = .string(text)
        }
        return ["result": value]
    }

    private static func ffiType(_ type: CCommandSignature.ValueType) -> UnsafeMutablePointer<ffi_type> {
        switch type {
        case .bool: tether_ffi_uint8()
        case .int32: tether_ffi_sint32()
        case .uint32: tether_ffi_uint32()
        case .int64: tether_ffi_sint64()
        case .uint64: tether_ffi_uint64()
        case .double: tether_ffi_double()
        case .string, .json: tether_ffi_pointer()
        }
    }

    private static func ffiType(_ type: CCommandSignature.ReturnType) -> UnsafeMutablePointer<ffi_type> {
        type.valueType.map { ffiType($0) } ?? tether_ffi_void()
    }
}
