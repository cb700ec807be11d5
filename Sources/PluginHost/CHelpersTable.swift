import CTetherABI
import TetherJSON

/// The host extension `tether.c-host/1` (`tether_c_host_v1`): C plugins call host commands
/// with named, typed arguments and read replies by path, complete requests and answer
/// asynchronous typed commands without writing JSON. One static table for every plugin.
enum CHelpersTable {
    /// Never freed: plugins may keep the pointer for the life of the process.
    nonisolated(unsafe) static let table: UnsafeMutablePointer<tether_c_host_v1> = {
        let table = UnsafeMutablePointer<tether_c_host_v1>.allocate(capacity: 1)
        table.initialize(
            to: tether_c_host_v1(
                struct_size: UInt32(MemoryLayout<tether_c_host_v1>.size), abi_version: TETHER_ABI_VERSION,
                call: helperCall, json_parse: helperParse, json_free: helperFree, json_int: helperInt,
                json_double: helperDouble, json_bool: helperBool, json_string: helperString,
                complete: helperComplete, reply: helperReply, reply_error: helperReplyError))
        return table
    }()
}

private let helperCall:
    @convention(c) (
        UnsafePointer<tether_host_api>?, UInt64, UnsafePointer<CChar>?, UnsafePointer<tether_arg>?, Int,
        tether_json_reply_fn?, UnsafeMutableRawPointer?
    ) -> Int32 = { host, requestID, command, args, count, callback, callbackContext in
        guard let host, let plugin = context(host.pointee.host_ctx), let callback,
            let name = command.flatMap(String.init(validatingCString:))
        else { return TETHER_ERR_BAD_REQUEST }
        guard let arguments = CArguments.object(args, count: count) else {
            plugin.logger.warning("a C helper call has an argument without a name or of an unknown type", metadata: ["plugin": "\(plugin.pluginID)", "command": "\(name)"])
            return TETHER_ERR_BAD_REQUEST
        }
        let target = JSONReplyTarget(function: callback, context: callbackContext)
        return HostSubmission.start(
            plugin, parent: requestID, deadline: 0, request: ["command": .string(name), "args": arguments]
        ) { status, body in
            let handle = CJSONHandle(body)
            let pointer = handle.retainedPointer()
            target.function(target.context, status, pointer)
            CJSONHandle.release(pointer)
        }
    }

/// A C reply function + context that may be called from any thread.
private struct JSONReplyTarget: @unchecked Sendable {
    // @unchecked: a C function pointer and the plugin's opaque context, both only passed back.
    let function: tether_json_reply_fn
    let context: UnsafeMutableRawPointer?
}

private let helperParse: @convention(c) (UnsafePointer<UInt8>?, Int) -> OpaquePointer? = { json, length in
    guard let json, let value = try? JSONValue(parsing: UnsafeBufferPointer(start: json, count: length)) else { return nil }
    return CJSONHandle(value).retainedPointer()
}

private let helperFree: @convention(c) (OpaquePointer?) -> Void = { pointer in
    CJSONHandle.release(pointer)
}

private let helperInt: @convention(c) (OpaquePointer?, UnsafePointer<CChar>?, UnsafeMutablePointer<Int64>?) -> Int32 = {
    pointer, path, out in
    guard let value = CJSONHandle.from(pointer)?.member(at: path)?.intValue, let out else { return 0 }
    out.pointee = Int64(value)
    return 1
}

private let helperDouble: @convention(c) (OpaquePointer?, UnsafePointer<CChar>?, UnsafeMutablePointer<Double>?) -> Int32 = {
    pointer, path, out in
    guard let value = CJSONHandle.from(pointer)?.member(at: path)?.doubleValue, let out else { return 0 }
    out.pointee = value
    return 1
}

private let helperBool: @convention(c) (OpaquePointer?, UnsafePointer<CChar>?, UnsafeMutablePointer<Int32>?) -> Int32 = {
    pointer, path, out in
    guard let value = CJSONHandle.from(pointer)?.member(at: path)?.boolValue, let out else { return 0 }
    out.pointee = value ? 1 : 0
    return 1
}

private let helperString: @convention(c) (OpaquePointer?, UnsafePointer<CChar>?) -> UnsafePointer<CChar>? = { pointer, path in
    guard let handle = CJSONHandle.from(pointer), let text = handle.member(at: path)?.stringValue, !text.utf8.contains(0) else {
        return nil
    }
    return handle.cString(text)
}

private let helperComplete:
    @convention(c) (tether_complete_fn?, UnsafeMutableRawPointer?, Int32, UnsafePointer<tether_arg>?, Int) -> Void = {
        callback, callbackContext, status, fields, count in
        guard let callback else { return }
        let body = CArguments.object(fields, count: count)
            ?? ["error": "the plugin built its reply from invalid fields", "code": "plugin_failure"]
        let status = CArguments.object(fields, count: count) == nil ? TETHER_ERR_GENERIC : status
        CompletionTarget(function: callback, context: callbackContext).complete(status: status, body: body.encodedBytes(sortingKeys: false))
    }

private let helperReply: @convention(c) (OpaquePointer?, UnsafePointer<tether_arg>?, Int) -> Void = { reply, fields, count in
    guard let handle = CCommandReply.consume(reply) else { return }
    if let body = CArguments.object(fields, count: count) {
        handle.answer(.success(body))
    } else {
        handle.answer(.failure(CommandError(.pluginFailure, "\(handle.command) answered with invalid fields")))
    }
}

private let helperReplyError: @convention(c) (OpaquePointer?, UnsafePointer<CChar>?, UnsafePointer<CChar>?) -> Void = {
    reply, code, message in
    guard let handle = CCommandReply.consume(reply) else { return }
    let error = CommandError(
        code.flatMap(String.init(validatingCString:)).flatMap(CommandError.Code.init(vocabulary:)) ?? .pluginFailure,
        message.flatMap(String.init(validatingCString:)) ?? "\(handle.command) failed")
    handle.answer(.failure(error))
}
