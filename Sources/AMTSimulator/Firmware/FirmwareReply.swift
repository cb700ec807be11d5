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
        headers.add(name: "Date", value: httpDate(date))
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
        headers.add(name: "Date", value: httpDate(date))
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

    /// RFC 7231 IMF-fixdate: `Mon, 10 Jan 2022 20:37:48 GMT`.
    static func httpDate(_ date: Date) -> String {
        // gmtime_r, not a Calendar per reply (that was 2.5 % of a simulated device's CPU).
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var fields = tm()
        gmtime_r(&seconds, &fields)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let weekday = days[Int(fields.tm_wday + 7) % 7]
        let month = months[Int(fields.tm_mon + 12) % 12]
        return "\(weekday), \(two(fields.tm_mday)) \(month) \(1900 + fields.tm_year) \(two(fields.tm_hour)):\(two(fields.tm_min)):\(two(fields.tm_sec)) GMT"
    }
}
