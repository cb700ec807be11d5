import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// A small read-only HTTP endpoint on 127.0.0.1 exposing a fleet's device states and call logs
/// as JSON: `GET /devices` (one line per device) and `GET /devices/{guid}` (state + call log).
public final class FleetControlServer: Sendable {
    private let channel: any Channel
    public let port: Int

    private init(channel: any Channel, port: Int) {
        self.channel = channel
        self.port = port
    }

    public static func start(fleet: SimulatedFleet, port: Int) async throws -> FleetControlServer {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(ControlHandler(fleet: fleet))
                }
            }
            .bind(host: "127.0.0.1", port: port).get()
        return FleetControlServer(channel: channel, port: channel.localAddress?.port ?? port)
    }

    public func stop() async throws {
        try await channel.close()
    }

    /// The JSON document for `path`, or nil (404).
    static func document(for path: String, fleet: SimulatedFleet) -> Any? {
        let formatter = ISO8601DateFormatter()
        func describe(_ index: Int, calls: Bool) -> [String: Any] {
            let device = fleet.devices[index]
            let state = fleet.firmwares[index].state
            var object: [String: Any] = [
                "guid": device.configuration.uuid.guidString, "status": "\(device.status)",
                "connects": device.connectCount, "powerState": state.powerState,
                "nextBootToBIOS": state.nextBootToBIOS, "bootCount": state.bootCount,
            ]
            if calls {
                let m = state.maintenance
                // What the device's screen and services show: the consent code to type in, etc.
                object["maintenance"] = [
                    "provisioned": m.provisioned, "optInState": m.optInState, "consentCode": m.consentCode as Any,
                    "redirectionEnabledState": m.redirectionEnabledState, "kvmAvailable": m.kvmAvailable,
                    "kvmEnabledState": m.kvmEnabledState, "optInRequired": m.optInRequired,
                    "alarms": m.alarms.map(\.instanceID), "wifiProfiles": m.wifiSettings.map(\.elementName),
                    "auditRecords": m.auditLog.count, "eventRecords": m.eventLog.count,
                ] as [String: Any]
                object["calls"] = fleet.firmwares[index].calls.map { call in
                    [
                        "time": formatter.string(from: call.time), "method": call.method, "class": call.resourceClass,
                        "inputs": call.inputs, "returnValue": call.returnValue as Any, "fault": call.fault as Any,
                    ] as [String: Any]
                }
            }
            return object
        }
        if path == "/devices" {
            return fleet.devices.indices.map { describe($0, calls: false) }
        }
        if path.hasPrefix("/devices/") {
            let guid = path.dropFirst("/devices/".count).lowercased()
            guard let index = fleet.devices.firstIndex(where: { $0.configuration.uuid.guidString == guid }) else { return nil }
            return describe(index, calls: true)
        }
        if path == "/summary" { return fleet.summary() }
        return nil
    }
}

private final class ControlHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart
    let fleet: SimulatedFleet

    init(fleet: SimulatedFleet) { self.fleet = fleet }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .head(let head) = unwrapInboundIn(data) else { return }
        let path = String(head.uri.split(separator: "?").first ?? "")
        let document = head.method == .GET ? FleetControlServer.document(for: path, fleet: fleet) : nil
        let status: HTTPResponseStatus = document == nil ? .notFound : .ok
        let body = document.flatMap { try? JSONSerialization.data(withJSONObject: $0, options: [.sortedKeys]) }
            ?? Data(#"{"error":"not found: use GET /devices, /devices/{guid} or /summary"}"#.utf8)
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/json")
        headers.add(name: "Content-Length", value: "\(body.count)")
        headers.add(name: "Connection", value: "close")
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: status, headers: headers))), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: body)))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in context.close(promise: nil) }
    }
}
