import Foundation
import Testing
@testable import Store

@Suite struct AuditRepositoryTests {
    @Test func appendAndListNewestFirst() async throws {
        try await withStore { store, _ in
            let base = Date(timeIntervalSince1970: 1_800_000_000)
            for n in 0..<5 {
                try await store.audit.append(AuditEvent(time: base + Double(n), actor: "admin", action: "ciraconfigs.create",
                                                       target: n.isMultiple(of: 2) ? "cira-even" : "cira-odd", detail: "n=\(n)"))
            }
            try await store.audit.append(AuditEvent(time: base, tenantId: "t2", actor: "x", action: "y", target: "cira-even"))
            let page = try await store.audit.list(page: PageRequest(top: 2))
            #expect(page.totalCount == 5)
            #expect(page.items.map(\.detail) == ["n=4", "n=3"])
            #expect(page.items.allSatisfy { $0.id != nil })
            let even = try await store.audit.list(target: "cira-even")
            #expect(even.items.map(\.detail) == ["n=4", "n=2", "n=0"])
            #expect(try await store.audit.list(target: "' OR 1=1 --").totalCount == 0)
        }
    }
}
