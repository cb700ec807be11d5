import Testing
@testable import APF

/// 100 000 seeded random streams: pure noise, valid encodings and mutated valid encodings,
/// split at random points. The decoder must never crash, must stay within its buffer bound,
/// must report errors stickily, and whatever it yields must re-encode to itself.
@Suite struct APFDecoderRandomizedTests {
    static let iterations = 100_000

    /// Replaces 4 bytes at a random position with a length that is hostile to the decoder.
    static func hostileLength(_ gen: inout RandomMessageGenerator) -> [UInt8] {
        var bytes: [UInt8] = []
        let choices: [UInt32] = [0xffff_ffff, 0x8000_0000, 2049, 2048, 65_536, 1_048_577, UInt32(gen.int(0...300))]
        bytes.appendUInt32(choices[gen.int(0...choices.count - 1)])
        return bytes
    }

    static func mutate(_ input: [UInt8], _ gen: inout RandomMessageGenerator) -> [UInt8] {
        var bytes = input
        for _ in 0..<gen.int(1...4) {
            guard !bytes.isEmpty else { break }
            let position = gen.int(0...bytes.count - 1)
            switch gen.int(0...6) {
            case 0: bytes[position] ^= UInt8(1) << UInt8(gen.int(0...7))
            case 1: bytes[position] = UInt8(truncatingIfNeeded: gen.u32())
            case 2: bytes.insert(contentsOf: gen.bytes(1...4), at: position)
            case 3: bytes.removeSubrange(position..<min(bytes.count, position + gen.int(1...4)))
            case 4: bytes.removeSubrange(position...)
            case 5:
                let end = min(bytes.count, position + 4)
                bytes.replaceSubrange(position..<end, with: hostileLength(&gen))
            default: bytes.insert(APFMessageType.allCases[gen.int(0...19)].rawValue, at: position)
            }
        }
        return bytes
    }

    @Test func randomAndMutatedStreamsNeverMisbehave() async throws {
        var gen = RandomMessageGenerator(seed: 0x5EED_A9F0)
        var stats = (messages: 0, errors: 0, needMore: 0, exact: 0)
        for iteration in 0..<Self.iterations {
            // Seconds of CPU: give the cooperative pool (two threads here) back now and then, so
            // the suites running beside this one are not starved of threads meanwhile.
            if iteration % 1_000 == 0 { await Task.yield() }
            let mode = gen.int(0...9)
            var originals: [APFMessage] = []
            var stream: [UInt8] = []
            var limits = APFLimits()
            switch mode {
            case 0...1:
                stream = gen.bytes(0...48)
            default:
                for _ in 0..<gen.int(1...4) {
                    let message = gen.message()
                    originals.append(message)
                    message.encode(into: &stream)
                }
                if mode >= 4 {
                    stream = Self.mutate(stream, &gen)
                    if gen.int(0...3) == 0 {
                        limits = APFLimits(
                            maxStringLength: gen.int(0...16), maxDataLength: gen.int(0...32), maxBufferedBytes: gen.int(1...160)
                        )
                    }
                }
            }
            let unmutated = mode == 2 || mode == 3

            var decoder = APFDecoder(limits: limits)
            if unmutated {
                // Replies are matched to sent requests in order; a failure consumes one too.
                for original in originals {
                    switch original {
                    case .requestSuccess(port: nil):
                        decoder.noteSent(.globalRequest(.cancelTCPIPForward(address: "", port: 0), wantReply: true))
                    case .requestSuccess, .requestFailure:
                        decoder.noteSent(.globalRequest(.tcpipForward(address: "", port: 0), wantReply: true))
                    default:
                        break
                    }
                }
            }
            var decoded: [APFMessage] = []
            var failure: APFDecodeError?
            var offset = 0
            feeding: while offset < stream.count {
                let end = min(stream.count, offset + gen.int(1...max(1, stream.count / 2 + 1)))
                decoder.append(stream[offset..<end])
                offset = end
                #expect(decoder.storageByteCount <= limits.maxBufferedBytes)
                do {
                    while let message = try decoder.next() { decoded.append(message) }
                } catch {
                    failure = error
                    break feeding
                }
                #expect(decoder.bufferedByteCount <= limits.maxBufferedBytes)
            }

            if let failure {
                stats.errors += 1
                #expect(throws: failure) { try decoder.next() }
            } else if decoder.bufferedByteCount > 0 {
                stats.needMore += 1
            }
            stats.messages += decoded.count

            for message in decoded {
                var check = APFDecoder()
                if case .requestSuccess(port: nil) = message { check.unsolicitedRequestSuccessForm = .bare }
                check.append(message.encodedBytes)
                if try check.next() != message || check.bufferedByteCount != 0 {
                    Issue.record("iteration \(iteration): \(message) does not survive re-encoding")
                }
            }
            if unmutated {
                #expect(failure == nil, "iteration \(iteration)")
                #expect(decoded == originals, "iteration \(iteration)")
                #expect(decoder.bufferedByteCount == 0)
                stats.exact += 1
            }
        }
        // The mix must actually exercise every outcome.
        #expect(stats.messages > Self.iterations)
        #expect(stats.errors > Self.iterations / 10)
        #expect(stats.needMore > Self.iterations / 100)
        #expect(stats.exact > Self.iterations / 10)
    }
}
