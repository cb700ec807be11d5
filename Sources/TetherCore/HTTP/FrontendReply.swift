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

    static func response(from reply: JSONValue) throws(CommandError) -> GatewayResponse {
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
        return GatewayResponse(status: HTTPResponse.Status(code: status), headers: fields, body: body)
    }
}

/// An answer of the gateway: status, headers and the whole body (every answer it makes is one
/// buffer, so ``GatewayHTTP1Channel`` writes it at once, early answers on the event loop).
struct GatewayResponse: Sendable {
    var status: HTTPResponse.Status
    var headers: HTTPFields
    var body: ByteBuffer

    /// As Hummingbird's response (`Content-Length` from the body), for the requests Hummingbird
    /// serves itself: the first request of a websocket-listener connection that is no upgrade.
    var hummingbird: Response { Response(status: status, headers: headers, body: ResponseBody(byteBuffer: body)) }
}
