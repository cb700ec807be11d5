/// Hard limits the ``APFDecoder`` enforces on untrusted input. Exceeding one is a fatal
/// ``APFDecodeError``; the decoder never waits for, or buffers, more than these allow.
public struct APFLimits: Sendable, Hashable {
    /// Longest accepted string field (service, user, password, method, request and channel
    /// names, addresses). The Open AMT MPS uses 2048.
    public var maxStringLength: Int
    /// Longest accepted CHANNEL_DATA (and udp-send-to) payload.
    public var maxDataLength: Int
    /// Most unconsumed bytes the decoder holds. Must be at least ``maximumMessageLength`` or a
    /// legitimate maximal message cannot be decoded. Callers should drain ``APFDecoder/next()``
    /// after every append; a single append larger than this limit always fails.
    public var maxBufferedBytes: Int

    /// Creates limits; the defaults are 2048-byte strings, 68 KiB data (a 64 KiB window plus
    /// margin), and a 256 KiB buffer.
    public init(maxStringLength: Int = 2048, maxDataLength: Int = 64 * 1024 + 4096, maxBufferedBytes: Int = 256 * 1024) {
        self.maxStringLength = maxStringLength
        self.maxDataLength = maxDataLength
        self.maxBufferedBytes = maxBufferedBytes
    }

    /// The longest single message these limits admit (the larger of a maximal udp-send-to
    /// global request, USERAUTH_REQUEST, CHANNEL_OPEN and CHANNEL_DATA).
    public var maximumMessageLength: Int {
        let udpSendTo = 26 + 3 * maxStringLength + maxDataLength
        let userAuth = 18 + 4 * maxStringLength
        let channelData = 9 + maxDataLength
        return max(udpSendTo, userAuth, channelData, 33 + 3 * maxStringLength, 93)
    }
}
