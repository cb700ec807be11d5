import Foundation
import Synchronization
import Testing
import TetherAsync

/// The process-wide deadline thread: armed deadlines fire once, in order, no earlier than their
/// time; disarmed ones never fire; an earlier deadline armed while the thread sleeps until a
/// later one still fires on time.
/// What fired, in order (shared with the timer thread).
private final class Record: Sendable {
    private let values = Mutex<[Int]>([])
    func append(_ value: Int) { values.withLock { $0.append(value) } }
    var all: [Int] { values.withLock { $0 } }
}

@Suite struct DeadlineTimerTests {
    /// Waits (bounded) until `fired` reaches `count`; returns what fired.
    private func waitFor(_ count: Int, in fired: Record, within seconds: Double = 60) async -> [Int] {
        let deadline = ContinuousClock.now + .milliseconds(Int64(seconds * 1000))
        while ContinuousClock.now < deadline {
            let now = fired.all
            if now.count >= count { return now }
            try? await Task.sleep(for: .milliseconds(5))
        }
        return fired.all
    }

    @Test func firesInDeadlineOrderAndNeverEarly() async {
        let timer = DeadlineTimer()
        let fired = Record()
        let armedAt = ContinuousClock.now
        let early = Record()
        for (index, milliseconds) in [(2, 120), (0, 40), (1, 80)] {
            let due = armedAt + .milliseconds(milliseconds)
            timer.arm(at: due) {
                if ContinuousClock.now < due { early.append(index) }
                fired.append(index)
            }
        }
        #expect(await waitFor(3, in: fired) == [0, 1, 2])
        #expect(early.all.isEmpty, "fired before its deadline")
    }

    @Test func aDisarmedDeadlineNeverFires() async {
        let timer = DeadlineTimer()
        let fired = Record()
        let disarmed = timer.arm(after: .milliseconds(30)) { fired.append(0) }
        disarmed.disarm()
        // A later deadline that does fire proves the thread ran past the disarmed one.
        timer.arm(after: .milliseconds(90)) { fired.append(1) }
        #expect(await waitFor(1, in: fired) == [1])
    }

    @Test func anEarlierDeadlineWakesTheSleepingThread() async {
        let timer = DeadlineTimer()
        let fired = Record()
        timer.arm(after: .seconds(3600)) { fired.append(0) }
        try? await Task.sleep(for: .milliseconds(20))  // the thread now sleeps until the hour
        let start = ContinuousClock.now
        timer.arm(after: .milliseconds(50)) {
            // Measured on the timer thread, not after a wait on the (possibly busy) task pool.
            let elapsed = (ContinuousClock.now - start).components
            fired.append(Int(elapsed.seconds * 1000 + elapsed.attoseconds / 1_000_000_000_000_000))
        }
        let firedAfterMilliseconds = await waitFor(1, in: fired)
        // Had the thread slept on towards the hour, this would be an hour, not about 50 ms.
        #expect(firedAfterMilliseconds.count == 1 && firedAfterMilliseconds[0] < 5000, "\(firedAfterMilliseconds)")
    }

    @Test func thousandsOfDisarmedDeadlinesAreDropped() async {
        let timer = DeadlineTimer()
        let fired = Record()
        for _ in 0..<5000 { timer.arm(after: .seconds(60)) { fired.append(-1) }.disarm() }
        timer.arm(after: .milliseconds(20)) { fired.append(7) }
        #expect(await waitFor(1, in: fired) == [7])
    }
}
