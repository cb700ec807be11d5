// libFuzzer harness for the APF decoder. Not a SwiftPM target: it is compiled together with the
// APF sources (see Fuzz/README.md for the exact commands):
//
//   swiftc -O -sanitize=fuzzer,address -parse-as-library -use-ld=lld \
//       Sources/APF/*.swift Fuzz/APFDecoderFuzz/main.swift -o .build/apf-fuzz
//   mkdir -p .build/apf-fuzz-corpus && .build/apf-fuzz .build/apf-fuzz-corpus -max_total_time=60
//
// Input format: byte 0 selects small or default limits and how to split; the rest is the APF
// stream. The harness traps (a finding) if the decoder holds more bytes than its limit, stops
// being sticky after an error, or yields a message that does not survive re-encoding.

/// Feeds one input to the decoder and checks the invariants.
private func fuzzOne(_ input: UnsafeBufferPointer<UInt8>) {
    guard let control = input.first else { return }
    let stream = input.dropFirst()
    let limits = control & 1 == 0
        ? APFLimits()
        : APFLimits(maxStringLength: 32, maxDataLength: 64, maxBufferedBytes: 256)
    var decoder = APFDecoder(limits: limits)
    if control & 2 != 0 { decoder.unsolicitedRequestSuccessForm = .bare }
    // Chunk size from the control byte: 1…32 bytes per append.
    let chunkSize = Int(control >> 3) + 1
    var offset = stream.startIndex
    var decoded: [APFMessage] = []
    while offset < stream.endIndex {
        let end = min(stream.endIndex, offset + chunkSize)
        decoder.append(UnsafeBufferPointer(rebasing: input[offset..<end]))
        offset = end
        precondition(decoder.bufferedByteCount <= limits.maxBufferedBytes, "buffer bound violated")
        do {
            while let message = try decoder.next() { decoded.append(message) }
        } catch {
            do {
                _ = try decoder.next()
                preconditionFailure("decoder recovered after \(error)")
            } catch let again {
                precondition(again == error, "error changed from \(error) to \(again)")
            }
            break
        }
    }
    for message in decoded {
        var check = APFDecoder()
        check.unsolicitedRequestSuccessForm = decoder.unsolicitedRequestSuccessForm
        check.append(message.encodedBytes)
        do {
            let again = try check.next()
            precondition(again == message && check.bufferedByteCount == 0, "re-encoding changed \(message)")
        } catch {
            preconditionFailure("re-encoded \(message) failed: \(error)")
        }
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func LLVMFuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data, size > 0 else { return 0 }
    fuzzOne(UnsafeBufferPointer(start: data, count: size))
    return 0
}
