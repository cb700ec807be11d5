import CIRA
import Foundation
import PluginHost
import TetherJSON
import TetherTLS

extension TetherHost {
    /// Commands the core host answers itself: connected devices and the certificate authority.
    func registerHostCommands() {
        bus.register(name: "devices.connected", summary: "Devices with an open CIRA tunnel on this host", provider: "host") {
            [weak self] _ in
            let sessions = self?.ciraServer?.sessions.all ?? []
            return ["devices": .array(sessions.map { session in .object(session.summary.mapValues(JSONValue.string)) })]
        }
        bus.register(name: "devices.disconnect", summary: "Close a device's CIRA tunnel: {guid}", provider: "host") {
            [weak self] args in
            guard let guid = args["guid"]?.stringValue?.lowercased() else {
                throw CommandError(.badRequest, "devices.disconnect needs {\"guid\": string}")
            }
            guard let session = self?.ciraServer?.session(for: guid) else {
                throw CommandError(.notConnected, "device \(guid) is not connected")
            }
            session.disconnect(reason: "disconnected by an administrator")
            return ["guid": .string(guid), "disconnected": true]
        }
        bus.register(name: "cert.show", summary: "The MPS root certificate (PEM and base64 DER) and the server certificate", provider: "host") {
            [weak self] _ in
            guard let authority = self?.certificateAuthority else {
                throw CommandError(.unavailable, "the certificate authority is not loaded")
            }
            let root = try CertificateSummary(pem: authority.rootCertificatePEM)
            let server = try CertificateSummary(pem: authority.serverCertificatePEM)
            let formatter = ISO8601DateFormatter()
            return [
                "rootCertificatePEM": .string(authority.rootCertificatePEM),
                "mpsRootCertificate": .string(root.derBase64),
                "rootFingerprintSHA256": .string(root.fingerprintSHA256),
                "rootSubject": root.subjectCommonName.map { .string("CN=" + $0) } ?? .null,
                "rootNotBefore": .string(formatter.string(from: root.notBefore)),
                "rootNotAfter": .string(formatter.string(from: root.notAfter)),
                "serverCommonName": .string(authority.commonName),
                "serverNotAfter": .string(formatter.string(from: server.notAfter)),
            ]
        }
        bus.register(name: "cira.stats", summary: "CIRA server counters and the number of connected devices", provider: "host") {
            [weak self] _ in
            guard let server = self?.ciraServer else { return ["running": false] }
            var object: [String: JSONValue] = ["running": true, "connected": .number(server.sessions.count)]
            for (name, value) in server.metrics.snapshot { object[name] = .number(value) }
            if let port = self?.ciraPort { object["port"] = .number(port) }
            return .object(object)
        }
    }
}
