import Testing
@testable import TetherCore

/// The counter a shutdown waits on: idle at once when nothing runs, waits for the last `end`,
/// gives up at the deadline while requests are still running.
@Suite struct InFlightRequestsTests {
    @Test func drainedAtOnceWhenIdle() async {
        let requests = InFlightRequests()
        #expect(await requests.drained(until: .now + .seconds(30)))
    }

    @Test func waitsForTheLastRequestToEnd() async {
        let requests = InFlightRequests()
        requests.begin()
        requests.begin()
        async let drained = requests.drained(until: .now + .seconds(30))
        requests.end()
        #expect(requests.count == 1)
        requests.end()
        #expect(await drained)
        #expect(requests.count == 0)
    }

    @Test func givesUpAtTheDeadline() async {
        let requests = InFlightRequests()
        requests.begin()
        let started = ContinuousClock.now
        #expect(await requests.drained(until: .now + .milliseconds(200)) == false)
        #expect(ContinuousClock.now - started >= .milliseconds(200))
        #expect(requests.count == 1)
        requests.end()
        #expect(await requests.drained(until: .now + .seconds(30)))
    }
}
