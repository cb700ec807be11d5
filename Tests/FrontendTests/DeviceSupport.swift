import AMTSimulator
import APF
import Foundation
import Testing
import TetherJSON
@testable import TetherCore

/// A simulated AMT device (real firmware model) dialling the test host's CIRA port.
struct TestDevice {
    let guid: String
    let firmware: AMTFirmware
    let device: SimulatedDevice

    static let amtPassword = "Amt-P@ssw0rd1"

    static func make(_ bed: RESTTestHost, number: Int, username: String, password: String) throws -> TestDevice {
        let uuid = try #require(AMTUUID(guidString: String(format: "7e57e57e-0000-4000-8000-%012x", number)))
        let firmware = AMTFirmware(configuration: AMTFirmwareConfiguration(uuid: uuid, password: amtPassword))
        let port = try #require(bed.host.ciraPort)
        var configuration = SimulatedDeviceConfiguration(
            uuid: uuid, serverHost: "127.0.0.1", serverPort: port, username: username, password: password)
        configuration.tls.trustedRootPEM = try #require(bed.host.certificateAuthority?.rootCertificatePEM)
        configuration.tls.commonName = "127.0.0.1"
        let device = try SimulatedDevice(configuration: configuration, firmware: firmware)
        return TestDevice(guid: uuid.guidString.lowercased(), firmware: firmware, device: device)
    }
}

extension TestDevice {
    /// Makes a device, registers it through REST (`POST /api/v1/devices`, with its AMT password)
    /// and starts it; returns once its tunnel is up.
    static func registerAndConnect(
        _ bed: RESTTestHost, token: String, number: Int, username: String, password: String, hostname: String
    ) async throws -> TestDevice {
        let device = try make(bed, number: number, username: username, password: password)
        let created = try await bed.request(
            "POST", "/api/v1/devices",
            json: [
                "guid": .string(device.guid), "hostname": .string(hostname), "mpsusername": .string(username),
                "mpsPassword": .string(password), "amtPassword": .string(amtPassword),
            ], token: token)
        try #require(created.status == 201 || created.status == 200, "\(created.status) \(created.text)")
        device.device.start()
        let status = await device.device.waitUntilConnected()
        try #require(status == .connected, "device did not connect: \(status)")
        return device
    }
}
