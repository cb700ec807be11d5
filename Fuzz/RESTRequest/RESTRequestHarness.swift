import TetherJSON
@testable import FrontendRESTPlugin

/// The REST request path fuzz harness (`Fuzz/build.sh rest`): what the REST front end does with a
/// host `http.request` before any handler runs — decoding the method, path (percent-decoded
/// segments), query and base64 body, then matching the route table. Byte 0 even: the rest is the
/// request's raw JSON; odd: NUL-separated method, path, query, body_base64 and mount strings.
/// A request either decodes or is refused with a 400, and a matched route fits the request.
enum RESTRequestHarness {
    static func run(_ input: UnsafeBufferPointer<UInt8>) {
        guard let control = input.first, let request = request(from: input.dropFirst(), raw: control & 1 == 0) else { return }
        let exchange: HTTPExchange
        do {
            exchange = try HTTPExchange(request: request)
        } catch {
            precondition(error.status == 400, "a request was refused with \(error.status), not 400")
            return
        }
        guard let (route, parameters) = FrontendRESTPlugin.route(for: exchange) else { return }
        precondition(route.method == exchange.method, "route \(route.method) \(route.template) matched \(exchange.method)")
        let placeholders = route.template.split(separator: "/").filter { $0.hasPrefix("{") }.count
        precondition(parameters.count == placeholders, "route \(route.template) matched with \(parameters.count) parameters")
    }

    private static func request(from bytes: Slice<UnsafeBufferPointer<UInt8>>, raw: Bool) -> JSONValue? {
        if raw { return try? JSONValue(parsing: bytes) }
        let fields = bytes.split(separator: 0, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
        func field(_ index: Int) -> JSONValue { index < fields.count ? .string(fields[index]) : .null }
        return ["op": "http.request", "method": field(0), "path": field(1), "query": field(2), "body_base64": field(3), "mount": field(4)]
    }
}
