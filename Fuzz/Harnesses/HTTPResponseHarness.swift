import WSMan

/// The WS-Man HTTP response parser fuzz harness (`Fuzz/HTTPResponseFuzz`, and the suite's smoke
/// test): byte 0 picks the limits and how to split the stream (1–64 bytes per append); the rest is
/// what a device sends. Every response is within the limits, an error is sticky, and the parser
/// never buffers more than the limits allow.
public enum HTTPResponseHarness {
    /// Feeds one input to the parser and checks the invariants (traps on a violation).
    public static func run(_ input: UnsafeBufferPointer<UInt8>) {
        guard let control = input.first else { return }
        let limits = control & 1 == 0
            ? HTTPParserLimits.default
            : HTTPParserLimits(maxHeaderBytes: 128, maxBodyBytes: 256, maxHeaderCount: 4)
        let chunkSize = Int(control >> 2) + 1
        var parser = HTTPResponseParser(limits: limits)
        var offset = 1
        while offset < input.count {
            let end = min(input.count, offset + chunkSize)
            parser.append(UnsafeBufferPointer(rebasing: input[offset..<end]))
            offset = end
            do {
                while let response = try parser.nextResponse() { check(response, limits) }
            } catch {
                expectSticky(&parser, after: error)
                return
            }
        }
        do {
            if let last = try parser.finish() { check(last, limits) }
        } catch {}
    }

    private static func check(_ response: HTTPResponseMessage, _ limits: HTTPParserLimits) {
        precondition((0...999).contains(response.status), "status \(response.status) is not three digits")
        precondition(response.body.count <= limits.maxBodyBytes, "body over the limit")
    }

    private static func expectSticky(_ parser: inout HTTPResponseParser, after error: any Error) {
        do {
            _ = try parser.nextResponse()
            preconditionFailure("the parser recovered after \(error)")
        } catch {}
    }
}
