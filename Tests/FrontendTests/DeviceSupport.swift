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
