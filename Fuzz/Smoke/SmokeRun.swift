import Foundation
import TestSupport

/// Runs `harness` over every seed in `Fuzz/corpus/<corpus>` plus `extraSeeds`, then over random
/// mutations of them until `budget` elapses or `maxRuns` inputs ran; returns the number of runs.
/// The harness traps on a broken invariant, which fails the test run. The loop runs on a thread of
/// its own, so it never holds one of the (two) cooperative pool threads the other suites need.
func smokeRun(
    corpus: String, extraSeeds: [[UInt8]] = [], tokens: [String] = [], seed: UInt64 = 17,
    budget: Duration = .milliseconds(1500), maxRuns: Int = 200_000,
    _ harness: @escaping @Sendable (UnsafeBufferPointer<UInt8>) -> Void
) async throws -> Int {
    try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Int, any Error>) in
        Thread {
            continuation.resume(with: Result {
                try smokeLoop(corpus: corpus, extraSeeds: extraSeeds, tokens: tokens, seed: seed, budget: budget, maxRuns: maxRuns, harness)
            })
        }.start()
    }
}

private func smokeLoop(
    corpus: String, extraSeeds: [[UInt8]], tokens: [String], seed: UInt64, budget: Duration, maxRuns: Int,
    _ harness: (UnsafeBufferPointer<UInt8>) -> Void
) throws -> Int {
    let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("corpus/\(corpus)")
    let files = try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
    var seeds = try files.map { Array(try Data(contentsOf: $0)) } + extraSeeds
    seeds.append([])
    var mutator = InputMutator(seed: seed, tokens: tokens)
    var runs = 0
    for input in seeds {
        input.withUnsafeBufferPointer(harness)
        runs += 1
    }
    let deadline = ContinuousClock.now + budget
    var pool = seeds
    while runs < maxRuns, ContinuousClock.now < deadline {
        let input = mutator.mutate(pool[mutator.below(pool.count)])
        input.withUnsafeBufferPointer(harness)
        runs += 1
        if runs % 64 == 0, pool.count < 256 { pool.append(input) }
    }
    return runs
}
