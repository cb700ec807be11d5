import Logging
import PluginHost
import Testing
import TetherJSON

/// The HTTP request id (`RequestLogContext`) reaches the log metadata of everything done for
/// the request, commands a plugin submits for it included.
@Suite struct RequestLogContextTests {
    @Test func theMetadataProviderAddsTheRequestIDInForce() {
        #expect(RequestLogContext.metadataProvider.get().isEmpty)
        RequestLogContext.$requestID.withValue("req-1") {
            #expect(RequestLogContext.metadataProvider.get() == ["requestId": "req-1"])
        }
    }

    @Test func aSubmitRunsUnderTheRequestIDItsParentWasSentFor() async throws {
        let host = try await DeadlineTests.host { _ in ["requestId": RequestLogContext.requestID.map(JSONValue.string) ?? .null] }
        // dl.relay submits test.probe for its own request (a task the C plugin starts, no task-local of ours).
        let relayed = try await RequestLogContext.$requestID.withValue("http-7") { try await host.bus.run("dl.relay") }
        #expect(relayed["requestId"] == "http-7", "\(relayed)")
        #expect(try await host.bus.run("dl.relay")["requestId"] == .null, "no request id outside an HTTP request")
        await host.shutdown()
    }
}
