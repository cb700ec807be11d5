/// An HTTP/1.1 request (the WS-Man POST on the host side; what the simulator receives).
public struct HTTPRequestMessage: Sendable, Equatable {
    /// The method (`POST`).
    public var method: String
    /// The request target (`/wsman`).
    public var target: String
    /// The version token (`HTTP/1.1`).
    public var version: String
    /// Header fields, in order.
    public var headers: HTTPHeaders
    /// The body bytes (de-chunked when received chunked).
    public var body: [UInt8]

    /// Creates a request.
    public init(method: String, target: String, version: String = "HTTP/1.1", headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = []) {
        self.method = method
        self.target = target
        self.version = version
        self.headers = headers
        self.body = body
    }

    /// A WS-Man POST: headers `Authorization` (if given), `Host`, `Content-Type`
    /// (`application/soap+xml; charset=utf-8`, unless `contentType` is nil), `Content-Length`.
    public static func wsmanPost(
        host: String, body: [UInt8], authorization: String? = nil,
        contentType: String? = "application/soap+xml; charset=utf-8", target: String = "/wsman"
    ) -> HTTPRequestMessage {
        var headers = HTTPHeaders()
        if let authorization { headers.add(name: "Authorization", value: authorization) }
        headers.add(name: "Host", value: host)
        if let contentType { headers.add(name: "Content-Type", value: contentType) }
        return HTTPRequestMessage(method: "POST", target: target, headers: headers, body: body)
    }

    /// The wire bytes. A `Content-Length` matching the body is written (replacing any given
    /// one) unless the headers declare `Transfer-Encoding`.
    public func encode() -> [UInt8] {
        var headers = self.headers
        if headers["Transfer-Encoding"] == nil {
            headers.replaceOrAdd(name: "Content-Length", value: String(body.count))
        }
        var out: [UInt8] = []
        out.reserveCapacity(body.count + 256)
        out.append(contentsOf: "\(method) \(target) \(version)\r\n".utf8)
        headers.encode(into: &out)
        out.append(contentsOf: "\r\n".utf8)
        out.append(contentsOf: body)
        return out
    }
}

/// An HTTP/1.1 response (what AMT answers; what the simulator sends).
public struct HTTPResponseMessage: Sendable, Equatable {
    /// The status code.
    public var status: Int
    /// The reason phrase.
    public var reason: String
    /// The version token.
    public var version: String
    /// Header fields, in order.
    public var headers: HTTPHeaders
    /// The body bytes (de-chunked when received chunked).
    public var body: [UInt8]

    /// Creates a response.
    public init(status: Int, reason: String? = nil, version: String = "HTTP/1.1", headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = []) {
        self.status = status
        self.reason = reason ?? Self.defaultReason(status)
        self.version = version
        self.headers = headers
        self.body = body
    }

    /// The body decoded as UTF-8 (invalid sequences replaced).
    public var bodyText: String { String(decoding: body, as: UTF8.self) }

    /// The wire bytes. With `chunkSize`, the body is sent `Transfer-Encoding: chunked` in
    /// chunks of at most that many bytes with 4-digit upper-case hex sizes (as AMT does),
    /// otherwise with a `Content-Length`. Existing framing headers are replaced.
    public func encode(chunkSize: Int? = nil) -> [UInt8] {
        var headers = self.headers
        headers.remove(name: "Content-Length")
        headers.remove(name: "Transfer-Encoding")
        let chunked = chunkSize.map { $0 > 0 } ?? false
        if chunked {
            headers.add(name: "Transfer-Encoding", value: "chunked")
        } else {
            headers.add(name: "Content-Length", value: String(body.count))
        }
        var out: [UInt8] = []
        out.reserveCapacity(body.count + 256)
        out.append(contentsOf: "\(version) \(status) \(reason)\r\n".utf8)
        headers.encode(into: &out)
        out.append(contentsOf: "\r\n".utf8)
        if let chunkSize, chunked {
            var offset = 0
            while offset < body.count {
                let n = min(chunkSize, body.count - offset)
                var hex = String(n, radix: 16, uppercase: true)
                while hex.count < 4 { hex = "0" + hex }
                out.append(contentsOf: "\(hex)\r\n".utf8)
                out.append(contentsOf: body[offset..<(offset + n)])
                out.append(contentsOf: "\r\n".utf8)
                offset += n
            }
            out.append(contentsOf: "0\r\n\r\n".utf8)
        } else {
            out.append(contentsOf: body)
        }
        return out
    }

    /// Standard reason phrases for the codes this project uses.
    public static func defaultReason(_ status: Int) -> String {
        switch status {
        case 200: return "OK"
        case 400: return "Bad Request"
        case 401: return "Unauthorized"
        case 403: return "Forbidden"
        case 404: return "Not Found"
        case 405: return "Method Not Allowed"
        case 413: return "Payload Too Large"
        case 500: return "Internal Server Error"
        case 503: return "Service Unavailable"
        default: return "Status \(status)"
        }
    }
}
