import AMT
import AMTSimulator
import Foundation
import Testing

/// A WS-Man call still waiting for a slot when its caller goes away never reaches the device.
@Suite struct WSManQueueCancellationTests {
    @Test func aQueuedCallWhoseCallerIsCancelledIsNeverSent() async throws {
        let bed = try await AMTTestBed.start()
        let uuid = amtTestUUID(31)
        var configuration = AMTFirmwareConfiguration(uuid: uuid, password: "P@ssw0rd-amt")
        configuration.faults.responseDelay = .milliseconds(1500)
        let firmware = AMTFirmware(configuration: configuration)
        let device = try await bed.connect(uuid, firmware: firmware)
        // One call at a time, served first come, first served.
        let client = bed.client(uuid) { $0.maxConcurrentCalls = 1; $0.callTimeout = .seconds(60) }
        firmware.clearCalls()

        let first = Task { try await client.generalSettings() }
        #expect(await eventuallyTrue { firmware.calls.count == 1 }, "the first call did not reach the device")
        let queued = Task { try await client.powerState() }  // waits behind the first
        try await Task.sleep(for: .milliseconds(100))  // let it join the queue
        queued.cancel()
        let queuedResult = await queued.result
        guard case .failure(let error as AMTError) = queuedResult, error == .cancelled else {
            Issue.record("expected the queued call to end cancelled, got \(queuedResult)")
            return
        }
        _ = try await first.value
        // A later call goes through the same FIFO queue: had the cancelled call stayed queued, it
        // would have gone first. When this one is answered, the device has seen exactly two calls.
        _ = try await client.generalSettings()
        let classes = firmware.calls.map(\.resourceClass)
        #expect(classes == ["AMT_GeneralSettings", "AMT_GeneralSettings"], "\(classes)")
        await device.stop()
        await bed.server.stop()
    }
}

/// Polls `condition` until it holds, at most 30 s.
private func eventuallyTrue(_ condition: () -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + .seconds(30)
    while ContinuousClock.now < deadline {
        if condition() { return true }
        try? await Task.sleep(for: .milliseconds(20))
    }
    return condition()
}
