/// The parameters of an `Authorization: Digest …` header, and the RFC 2617 computation.
public struct DigestAuthorization: Sendable, Equatable {
    /// `username`.
    public var username: String
    /// `realm`.
    public var realm: String
    /// `nonce`.
    public var nonce: String
    /// `uri` (the request target).
    public var uri: String
    /// `response` (32 lower-case hex).
    public var response: String
    /// `qop` (`auth`) or `nil` in RFC 2069 mode.
    public var qop: String?
    /// `nc` as 8 hex digits, present with qop.
    public var nonceCount: String?
    /// `cnonce`, present with qop.
    public var cnonce: String?
    /// `opaque`, echoed from the challenge.
    public var opaque: String?

    /// Creates an authorization.
    public init(
        username: String, realm: String, nonce: String, uri: String, response: String,
        qop: String? = nil, nonceCount: String? = nil, cnonce: String? = nil, opaque: String? = nil
    ) {
        self.username = username
        self.realm = realm
        self.nonce = nonce
        self.uri = uri
        self.response = response
        self.qop = qop
        self.nonceCount = nonceCount
        self.cnonce = cnonce
        self.opaque = opaque
    }

    /// Parses an `Authorization` value (quoted or bare `qop`/`nc` both accepted).
    /// - Throws: ``DigestError``.
    public init(headerValue: String) throws {
        let params = try DigestParameters.parse(header: headerValue)
        func value(_ name: String) -> String? { params.first { $0.name == name }?.value }
        func required(_ name: String) throws -> String {
            guard let v = value(name) else { throw DigestError.missingParameter(name) }
            return v
        }
        if let algorithm = value("algorithm"), algorithm.uppercased() != "MD5" {
            throw DigestError.unsupportedAlgorithm(algorithm)
        }
        self.username = try required("username")
        self.realm = try required("realm")
        self.nonce = try required("nonce")
        self.uri = try required("uri")
        self.response = try required("response")
        self.qop = value("qop")
        self.nonceCount = value("nc")
        self.cnonce = value("cnonce")
        self.opaque = value("opaque")
        if qop != nil {
            guard nonceCount != nil else { throw DigestError.missingParameter("nc") }
            guard cnonce != nil else { throw DigestError.missingParameter("cnonce") }
        }
    }

    /// The header value in the layout AMT clients use: no spaces, every value quoted, order
    /// `username, realm, nonce, uri, qop, response, nc, cnonce` (+ `opaque` if any).
    public var headerValue: String {
        var out: [UInt8] = []
        out.reserveCapacity(
            96 + username.utf8.count + realm.utf8.count + nonce.utf8.count + uri.utf8.count + response.utf8.count
                + (qop?.utf8.count ?? 0) + (nonceCount?.utf8.count ?? 0) + (cnonce?.utf8.count ?? 0) + (opaque?.utf8.count ?? 0))
        out.append(contentsOf: "Digest ".utf8)
        func parameter(_ name: String, _ value: String?) {
            guard let value else { return }
            if out.count > 7 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: name.utf8)
            out.append(UInt8(ascii: "="))
            DigestParameters.appendQuoted(value, to: &out)
        }
        parameter("username", username)
        parameter("realm", realm)
        parameter("nonce", nonce)
        parameter("uri", uri)
        parameter("qop", qop)
        parameter("response", response)
        parameter("nc", nonceCount)
        parameter("cnonce", cnonce)
        parameter("opaque", opaque)
        return String(decoding: out, as: UTF8.self)
    }

    /// The expected `response` for these parameters, a password and a method (RFC 2617 §3.2.2):
    /// `MD5(HA1:nonce:nc:cnonce:qop:HA2)`, or `MD5(HA1:nonce:HA2)` without qop.
    public func expectedResponse(password: String, method: String) -> String {
        Self.computeResponse(
            username: username, realm: realm, password: password, method: method, uri: uri,
            nonce: nonce, nonceCount: nonceCount, cnonce: cnonce, qop: qop)
    }

    /// The RFC 2617 digest computation (MD5), lower-case hex.
    public static func computeResponse(
        username: String, realm: String, password: String, method: String, uri: String,
        nonce: String, nonceCount: String?, cnonce: String?, qop: String?
    ) -> String {
        computeResponse(
            ha1: ha1(username: username, realm: realm, password: password), method: method, uri: uri, nonce: nonce,
            nonceCount: nonceCount, cnonce: cnonce, qop: qop)
    }

    /// The digest computation from HA1 (`MD5(user:realm:password)`, lower-case hex).
    public static func computeResponse(
        ha1: String, method: String, uri: String, nonce: String, nonceCount: String?, cnonce: String?, qop: String?
    ) -> String {
        let ha2 = MD5.hex(colonJoined: [method, uri])
        if let qop {
            return MD5.hex(colonJoined: [ha1, nonce, nonceCount ?? "", cnonce ?? "", qop, ha2])
        }
        return MD5.hex(colonJoined: [ha1, nonce, ha2])
    }

    /// HA1: `MD5(username:realm:password)`, lower-case hex. It changes only with the realm or
    /// the password, so clients compute it once per challenge realm (``DigestCredentials``).
    public static func ha1(username: String, realm: String, password: String) -> String {
        MD5.hex(colonJoined: [username, realm, password])
    }
}
