import Foundation
import Testing
import TetherJSON

/// Device-record validation as MPS answers it (shared/reference/mps-api.md §2.2): optional `deviceInfo`,
/// invalid GUID bodies, `?tenantId=` lookups.
@Suite struct DeviceParityTests {
    @Test func optionalDeviceInfoInvalidGUIDsAndTenantLookups() async throws {
        let bed = try await maintenanceHost.value
        let token = try await bed.token()
        let plain = "5a1e0000-e89b-12d3-a456-426614174001"
        let created = try await bed.request("POST", "/api/v1/devices", json: ["guid": .string(plain), "hostname": "no-info"], token: token)
        #expect(created.status == 201, "\(created.text)")
        #expect(created.json?["deviceInfo"] == .null)
        #expect(created.json?["tags"] == [])
        #expect(created.json?["connectionStatus"] == false)

        let missing = try await bed.request("POST", "/api/v1/devices", json: ["hostname": "h"], token: token)
        #expect(missing.status == 400)
        #expect(missing.json?["errors"]?.arrayValue?.first == ["type": "field", "msg": "Invalid value", "path": "guid", "location": "body"])
        let short = "5a1e0000-e89b-12d3-a456-42661417400"
        let invalid = try await bed.request("POST", "/api/v1/devices", json: ["guid": .string(short)], token: token)
        #expect(invalid.json?["errors"]?.arrayValue?.first == ["type": "field", "value": .string(short), "msg": "Invalid value", "path": "guid", "location": "body"])
        let patch = try await bed.request("PATCH", "/api/v1/devices", json: ["hostname": "h"], token: token)
        #expect(patch.json?["errors"]?.arrayValue?.first?["location"] == "body")
        let path = try await bed.request("GET", "/api/v1/devices/xyz", token: token)
        #expect(path.status == 400)
        #expect(path.json?["errors"]?.arrayValue?.first?["location"] == "params")
        let info = try await bed.request("POST", "/api/v1/devices", json: ["guid": "5a1e0000-e89b-12d3-a456-426614174003", "deviceInfo": "x"], token: token)
        #expect(info.json?["errors"]?.arrayValue?.first?["msg"] == "deviceInfo should be an object if provided")

        let tenant = "5a1e0000-e89b-12d3-a456-426614174002"
        let acme = try await bed.request("POST", "/api/v1/devices", json: ["guid": .string(tenant), "tenantId": "acme"], token: token)
        #expect(acme.json?["tenantId"] == "acme")
        let withTenant = try await bed.request("GET", "/api/v1/devices/\(tenant)?tenantId=acme", token: token)
        #expect(withTenant.status == 200, "\(withTenant.text)")
        #expect(withTenant.json?["guid"] == .string(tenant))
        let otherTenant = try await bed.request("GET", "/api/v1/devices/\(tenant)", token: token)
        #expect(otherTenant.status == 404, "another tenant's device is not found (Tether does not answer MPS's 204)")
    }
}
