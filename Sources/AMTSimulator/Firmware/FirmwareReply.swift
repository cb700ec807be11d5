import Foundation
import WSMan

/// One HTTP answer of the firmware and what to do with the channel afterwards.
struct FirmwareReply: Sendable {
    var response: HTTPResponseMessage
    /// Send with `Transfer-Encoding: chunked` in chunks of at most this size.
    var chunkSize: Int?
    /// Close the channel after sending.
    var closeAfter: Bool

    var bytes: [UInt8] { response.encode(chunkSize: chunkSize) }

    /// A SOAP reply (200, or 400/500 for faults), chunked like AMT.
    static func soap(status: Int, xml: String, server: String, date: Date, chunkSize: Int, close: Bool) -> FirmwareReply {
        var headers = HTTPHeaders()
        headers.add(name: "Date", value: HTTPDate.format(date))
        headers.add(name: "Server", value: server)
        headers.add(name: "X-Frame-Options", value: "DENY")
        headers.add(name: "Content-Type", value: "application/soap+xml; charset=UTF-8")
        if close { headers.add(name: "Connection", value: "close") }
        return FirmwareReply(response: HTTPResponseMessage(status: status, headers: headers, body: Array(xml.utf8)),
                             chunkSize: max(1, chunkSize), closeAfter: close)
    }

    /// An HTML error page (401 with a challenge, 400 for unparsable HTTP, 404, 405). Always
    /// `Connection: close` with a `Content-Length`, as AMT sends its error pages.
    static func html(status: Int, message: String, server: String, date: Date, challenge: DigestChallenge? = nil) -> FirmwareReply {
        var headers = HTTPHeaders()
        if let challenge { headers.add(name: "WWW-Authenticate", value: challenge.headerValue) }
        headers.add(name: "Date", value: HTTPDate.format(date))
        headers.add(name: "Server", value: server)
        headers.add(name: "X-Frame-Options", value: "DENY")
        headers.add(name: "Content-Type", value: "text/html")
        headers.add(name: "Connection", value: "close")
        let page = """
        <!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN">
        <html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">
        <title>Intel&reg; Active Management Technology</title></head>
        <body><h2>Intel&reg; Active Management Technology</h2>
        <p>\(XMLEscaping.text(message))</p>
        </body>
        </html>

        """
        return FirmwareReply(response: HTTPResponseMessage(status: status, headers: headers, body: Array(page.utf8)),
                             chunkSize: nil, closeAfter: true)
    }
}
