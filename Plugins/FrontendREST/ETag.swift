import Foundation
/// Weak ETags on successful JSON GETs and `If-None-Match` → 304, as Express does (the peer's
/// Postman suite checks it on every list). FNV-1a 64 over the encoded body.
enum ETag {
    static func apply(to response: RESTResponse, method: String, ifNoneMatch: String?) -> RESTResponse {
        guard method == "GET", response.status == 200, response.headers["etag"] == nil, let json = response.json else {
            return response
        }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in json.encodedBytes() {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        let tag = "W/\"\(String(hash, radix: 16))\""
        if let ifNoneMatch, ifNoneMatch.split(separator: ",").contains(where: { $0.trimmingCharacters(in: .whitespaces) == tag }) {
            return RESTResponse(status: 304, headers: ["etag": tag])
        }
        return response.with(header: "etag", tag)
    }
}
