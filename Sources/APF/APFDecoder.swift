/// Incremental APF stream decoder: feed bytes as they arrive with ``append(_:)``, then call
/// ``next()`` until it returns `nil` ("need more bytes").
///
/// Input may be split at any byte boundary and several messages may arrive together. Every
/// length is checked against ``APFLimits`` as soon as it is read, and the decoder never holds
/// more than ``APFLimits/maxBufferedBytes`` bytes. Any violation is fatal: APF has no framing to
/// resynchronise on, so once ``next()`` has thrown it keeps throwing the same error and further
/// appended bytes are discarded.
///
/// Consumed bytes are dropped lazily (a read index plus occasional compaction), so decoding is
/// linear in the input size. A partial message is re-examined only after enough bytes arrived to
/// reach the next field it is waiting for.
///
/// A value type with no shared state: use one per connection, from one task at a time.
public struct APFDecoder: Sendable {
    /// The limits in force.
    public let limits: APFLimits
    /// REQUEST_SUCCESS layout used when no reply is pending from ``noteSent(_:)``. Defaults to
    /// ``APFRequestSuccessForm/withPort``, the reply to tcpip-forward.
    public var unsolicitedRequestSuccessForm: APFRequestSuccessForm = .withPort

    private var buffer: [UInt8] = []
    private var readIndex = 0
    /// Bytes (from `readIndex`) that must be present before a parse attempt can progress.
    private var requiredBytes = 1
    private var failure: APFDecodeError?
    private var pendingReplyForms: [APFRequestSuccessForm] = []

    /// Creates an empty decoder.
    public init(limits: APFLimits = APFLimits()) {
        self.limits = limits
    }

    /// Unconsumed bytes currently held (at most ``APFLimits/maxBufferedBytes``).
    public var bufferedByteCount: Int { buffer.count - readIndex }

    /// Bytes held in storage including the not yet compacted, already consumed prefix. Never
    /// exceeds ``APFLimits/maxBufferedBytes``.
    var storageByteCount: Int { buffer.count }

    /// The fatal error the stream failed with, if any.
    public var error: APFDecodeError? { failure }

    /// Adds received bytes. If they would exceed ``APFLimits/maxBufferedBytes`` the decoder
    /// fails with ``APFDecodeError/bufferOverflow(bufferedBytes:limit:)``, which the next call to
    /// ``next()`` throws; the buffered bytes are released.
    public mutating func append(_ bytes: some Sequence<UInt8>) {
        guard failure == nil else { return }
        let contiguous: Void? = bytes.withContiguousStorageIfAvailable { chunk in
            appendChunk(chunk)
        }
        if contiguous == nil {
            for byte in bytes {
                guard failure == nil else { return }
                if buffer.count == limits.maxBufferedBytes { compact() }
                if buffer.count == limits.maxBufferedBytes {
                    fail(.bufferOverflow(bufferedBytes: buffer.count + 1, limit: limits.maxBufferedBytes))
                    return
                }
                buffer.append(byte)
            }
        }
    }

    private mutating func appendChunk(_ chunk: UnsafeBufferPointer<UInt8>) {
        if chunk.isEmpty { return }
        // Compaction copies only the unconsumed tail, and only when it is no longer than the
        // consumed prefix (amortised O(1) per byte) or when the bound would be hit otherwise.
        if readIndex > 0, readIndex >= bufferedByteCount || buffer.count + chunk.count > limits.maxBufferedBytes {
            compact()
        }
        let total = buffer.count + chunk.count
        guard total <= limits.maxBufferedBytes else {
            fail(.bufferOverflow(bufferedBytes: total, limit: limits.maxBufferedBytes))
            return
        }
        buffer.append(contentsOf: chunk)
    }

    private mutating func compact() {
        guard readIndex > 0 else { return }
        buffer.removeSubrange(0..<readIndex)
        readIndex = 0
    }

    private mutating func fail(_ error: APFDecodeError) {
        failure = error
        buffer = []
        readIndex = 0
    }

    /// Records a message this side sent, so that the REQUEST_SUCCESS / REQUEST_FAILURE replies
    /// to global requests with want-reply set are matched in order and REQUEST_SUCCESS is read in
    /// the right form (with a port for tcpip-forward, bare for cancel-tcpip-forward). Other
    /// messages are ignored. Only needed on the side that sends GLOBAL_REQUEST (the device).
    public mutating func noteSent(_ message: APFMessage) {
        if case .globalRequest(let request, wantReply: true) = message {
            pendingReplyForms.append(APFRequestSuccessForm(replyingTo: request))
        }
    }

    /// Decodes the next complete message, or returns `nil` when more bytes are needed.
    /// - Throws: ``APFDecodeError`` on a protocol violation; the stream is then dead.
    public mutating func next() throws(APFDecodeError) -> APFMessage? {
        if let failure { throw failure }
        guard bufferedByteCount >= requiredBytes else { return nil }
        var reader = APFFrameReader(bytes: buffer, start: readIndex, limits: limits)
        let form = pendingReplyForms.first ?? unsolicitedRequestSuccessForm
        let message: APFMessage
        do {
            message = try Self.parse(&reader, requestSuccessForm: form)
        } catch {
            switch error {
            case .needMore(let total):
                requiredBytes = total
                return nil
            case .fatal(let decodeError):
                fail(decodeError)
                throw decodeError
            }
        }
        readIndex += reader.consumed
        requiredBytes = 1
        switch message {
        case .requestSuccess, .requestFailure:
            if !pendingReplyForms.isEmpty { pendingReplyForms.removeFirst() }
        default:
            break
        }
        if readIndex == buffer.count {
            // Released, not kept: an idle tunnel (most of them, most of the time) holds no buffer.
            buffer = []
            readIndex = 0
        }
        return message
    }
}
