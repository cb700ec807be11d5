import Foundation
import Testing
import TetherJSON

@Suite struct OpenAPITests {
    /// `{guid}` and `{configName}` both become `{}`: names may differ, shapes may not.
    static func shape(_ path: String) -> String {
        path.split(separator: "/").map { $0.hasPrefix("{") ? "{}" : $0.lowercased() }.joined(separator: "/")
    }

    @Test func documentMatchesTheRouteTable() async throws {
        let bed = try await sharedHost.value
        let reply = try await bed.request("GET", "/api/v1/openapi.json")
        #expect(reply.status == 200)
        let document = try #require(reply.json)
        #expect(document["openapi"]?.stringValue?.hasPrefix("3.") == true)
        var documented = Set<String>()
        for (path, item) in document["paths"]?.objectValue ?? [:] {
            for method in (item.objectValue ?? [:]).keys { documented.insert("\(method.uppercased()) \(Self.shape(path))") }
        }
        let table = try await bed.host.bus.run("rest.routes")
        let routes = Set((table["routes"]?.arrayValue ?? []).map { "\($0["method"]?.stringValue ?? "") \(Self.shape($0["path"]?.stringValue ?? ""))" })
        #expect(!routes.isEmpty)
        #expect(routes.subtracting(documented).isEmpty, "undocumented routes: \(routes.subtracting(documented).sorted())")
        #expect(documented.subtracting(routes).isEmpty, "documented but not served: \(documented.subtracting(routes).sorted())")

        // Public routes are exactly those documented with an empty security list, and every
        // other route answers 401 without a token (so it is really served).
        let token: String? = nil
        for route in table["routes"]?.arrayValue ?? [] {
            let method = route["method"]?.stringValue ?? ""
            let path = (route["path"]?.stringValue ?? "").replacingOccurrences(of: "{", with: "x").replacingOccurrences(of: "}", with: "")
            let operation = document["paths"]?[route["path"]?.stringValue ?? ""]?[method.lowercased()]
            let isPublic = route["auth"] == false
            if operation != nil { #expect((operation?["security"]?.arrayValue?.isEmpty == true) == isPublic, "\(method) \(path)") }
            if !isPublic {
                let answer = try await bed.request(method, "/api/v1" + path, token: token)
                #expect(answer.status == 401, "\(method) \(path) → \(answer.status)")
            }
        }
    }
}
