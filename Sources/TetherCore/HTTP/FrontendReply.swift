import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import PluginHost
import TetherJSON

/// Turns a front end's reply (`{"status","headers","body_base64"|"body_json"}`) into a response.
enum FrontendReply {
    /// Hop-by-hop and framing headers the host owns.
    static let reservedHeaders: Set<String> = ["content-length", "transfer-encoding", "connection", "keep-alive", "upgrade"]

    static func response(from reply: JSONValue) throws(CommandError) -> Response {
        guard let status = reply["status"]?.intValue, (100...599).contains(status) else {
            throw CommandError(.pluginFailure, "the front end's reply lacks a status 100–599")
        }
        var fields = HTTPFields()
        for (name, value) in reply["headers"]?.objectValue ?? [:] {
            guard let text = value.stringValue, let fieldName = HTTPField.Name(name),
                !reservedHeaders.contains(fieldName.canonicalName)
            else { throw CommandError(.pluginFailure, "the front end's reply has an invalid header '\(name)'") }
            fields.append(HTTPField(name: fieldName, value: text))
        }
        var body = ByteBuffer()
        if let encoded = reply["body_base64"]?.stringValue {
            guard let data = Data(base64Encoded: encoded) else {
                throw CommandError(.pluginFailure, "the front end's reply has a body_base64 that is not base64")
            }
            body = ByteBuffer(bytes: data)
        } else if let json = reply["body_json"] {
            body = ByteBuffer(bytes: json.encodedBytes())
            if fields[.contentType] == nil { fields[.contentType] = "application/json; charset=utf-8" }
        }
        return Response(status: HTTPResponse.Status(code: status), headers: fields, body: ResponseBody(byteBuffer: body))
    }
}
