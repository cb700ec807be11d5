import COpenSSL
import NIOCore

/// The TLS 1.2 AES-GCM record layer (RFC 5246 §6.2, RFC 5288) of an established session, kept in
/// about 150 bytes so that OpenSSL's `SSL` object (≈ 12 KiB with its cipher contexts and
/// buffers in OpenSSL 3.0) can be freed once the handshake is over.
///
/// Why hand-written: an idle CIRA tunnel must cost little memory (issue 15: ≤ 16 KiB per tunnel
/// while OpenSSL alone holds ≈ 13 KiB), and OpenSSL has no API to drop a session's handshake
/// state or to rebuild an `SSL` from its keys. The cryptography stays OpenSSL's (AES-GCM through
/// `EVP`, keys from its `TLS1-PRF`); this type only frames records: explicit nonce = sequence
/// number, additional data = `seq_num ‖ type ‖ version ‖ length`, 16-byte tag.
///
/// What it accepts after the handshake, as OpenSSL does with `SSL_OP_NO_RENEGOTIATION`:
/// application data (also empty records), alerts (`close_notify` ends the session, other warnings
/// are ignored, a fatal alert closes), a renegotiation `ClientHello` (answered with a
/// `no_renegotiation` warning). Anything else — a record that fails authentication, is too long,
/// has another version or content type — is a ``RecordFailure`` carrying the fatal alert to send.
/// Per connection, not thread-safe: used on its channel's event loop only.
struct CompactRecordLayer {
    /// What one batch of received bytes produced.
    struct Opened {
        /// The application data of every complete record, in order (nil when none).
        var plaintext: ByteBuffer?
        /// The peer sent `close_notify`.
        var closeNotify = false
        /// Records to send back (sealed `no_renegotiation` warnings).
        var replies: ByteBuffer?
        /// The fatal error that ended the batch; what came before it is still in `plaintext`.
        var failure: RecordFailure?
    }

    /// A fatal protocol error: `alert` (an RFC 5246 §7.2 AlertDescription) is sent sealed, unless
    /// nil (the peer itself sent a fatal alert), then the connection closes.
    struct RecordFailure: Error {
        var alert: UInt8?
        var message: String
    }

    /// RFC 5246 ContentType values.
    enum ContentType: UInt8 {
        case changeCipherSpec = 20, alert = 21, handshake = 22, applicationData = 23
    }

    static let headerLength = 5
    static let explicitNonceLength = 8
    static let tagLength = GCMContext.tagLength
    /// Largest plaintext of one record (2^14) and largest ciphertext (2^14 + 2048, RFC 5246 §6.2.3).
    static let maxPlaintext = 16_384
    static let maxCiphertext = 16_384 + 2_048
    static let version: (UInt8, UInt8) = (3, 3)

    private let keys: RecordKeys
    private let cipher: GCMCipher
    private var readSequence: UInt64
    private var writeSequence: UInt64
    /// A record received in part (nil when none, so an idle session holds no buffer).
    private var partial: ByteBuffer?

    /// The record layer that continues `keys`'s session, for the `isServer` side. Both sequence
    /// numbers start at 1: the `Finished` message was each direction's first protected record.
    init(keys expansion: TLS12KeyExpansion, isServer: Bool, readSequence: UInt64 = 1, writeSequence: UInt64 = 1) {
        keys = RecordKeys(expansion, isServer: isServer)
        cipher = expansion.suite == .aes128GCM ? .aes128 : .aes256
        self.readSequence = readSequence
        self.writeSequence = writeSequence
    }

    /// Keeps `bytes` (received but not yet processed) in front of what arrives next.
    mutating func hold(_ bytes: ByteBuffer) {
        precondition(partial == nil)
        partial = bytes
    }

    /// Bytes of a received record kept until the rest arrives.
    var bufferedBytes: Int { partial?.readableBytes ?? 0 }

    // MARK: Receiving

    /// Decrypts every complete record in `partial + incoming`; keeps an incomplete tail. A fatal
    /// error stops the batch (``Opened/failure``): the authentic records before it are returned.
    mutating func open(_ incoming: ByteBuffer?, allocator: ByteBufferAllocator) -> Opened {
        var opened = Opened()
        do {
            try open(incoming, into: &opened, allocator: allocator)
        } catch {
            opened.failure = error
        }
        return opened
    }

    private mutating func open(_ incoming: ByteBuffer?, into opened: inout Opened, allocator: ByteBufferAllocator) throws(RecordFailure) {
        var input: ByteBuffer
        if var held = partial {
            if var incoming { held.writeBuffer(&incoming) }
            input = held
        } else if let incoming {
            input = incoming
        } else {
            return
        }
        partial = nil
        var context: GCMContext?
        while let next = try Self.completeRecord(in: input) {
            let (type, length) = next
            let record = input.readSlice(length: Self.headerLength + length)!
            if context == nil { context = try Self.context(cipher, key: keys.read, encrypt: false) }
            let plaintext = try decrypt(record, type: type, length: length, context: context!, allocator: allocator)
            try handle(type: type, plaintext, into: &opened, allocator: allocator)
            if opened.closeNotify { return }
        }
        if input.readableBytes > 0 {
            // Its own small buffer: never pin the (possibly large) receive buffer it came in.
            var tail = allocator.buffer(capacity: input.readableBytes)
            tail.writeBuffer(&input)
            partial = tail
        }
    }

    /// The content type and length of the record at the start of `input` when it is complete;
    /// nil when more bytes are needed. Throws for a header no TLS 1.2 peer sends.
    private static func completeRecord(in input: ByteBuffer) throws(RecordFailure) -> (ContentType, Int)? {
        guard input.readableBytes >= headerLength,
              let header = input.getBytes(at: input.readerIndex, length: headerLength)
        else { return nil }
        guard let type = ContentType(rawValue: header[0]) else {
            throw RecordFailure(alert: 10, message: "a record of unknown content type \(header[0])")
        }
        guard header[1] == version.0, header[2] == version.1 else {
            throw RecordFailure(alert: 70, message: "a record of version \(header[1]).\(header[2]) in a TLS 1.2 session")
        }
        let length = Int(header[3]) << 8 | Int(header[4])
        guard length <= maxCiphertext else {
            throw RecordFailure(alert: 22, message: "a record of \(length) bytes (at most \(maxCiphertext))")
        }
        guard length >= explicitNonceLength + tagLength else {
            throw RecordFailure(alert: 20, message: "a protected record of \(length) bytes is too short")
        }
        return input.readableBytes >= headerLength + length ? (type, length) : nil
    }

    private mutating func decrypt(
        _ record: ByteBuffer, type: ContentType, length: Int, context: GCMContext, allocator: ByteBufferAllocator
    ) throws(RecordFailure) -> ByteBuffer {
        let plaintextLength = length - Self.explicitNonceLength - Self.tagLength
        guard plaintextLength <= Self.maxPlaintext else {
            throw RecordFailure(alert: 22, message: "a record of \(plaintextLength) plaintext bytes (at most \(Self.maxPlaintext))")
        }
        let additional = Self.additionalData(sequence: readSequence, type: type, length: plaintextLength)
        var output = allocator.buffer(capacity: plaintextLength)
        var authentic = false
        record.withUnsafeReadableBytes { bytes in
            let body = UnsafeRawBufferPointer(rebasing: bytes[Self.headerLength...])
            let nonce = keys.readSalt + body[0..<Self.explicitNonceLength]
            let ciphertext = UnsafeRawBufferPointer(rebasing: body[Self.explicitNonceLength..<(Self.explicitNonceLength + plaintextLength)])
            let tag = UnsafeRawBufferPointer(rebasing: body[(Self.explicitNonceLength + plaintextLength)...])
            output.writeWithUnsafeMutableBytes(minimumWritableBytes: max(plaintextLength, 1)) { out in
                authentic = context.open(nonce: nonce, additional: additional, ciphertext: ciphertext, tag: tag, into: out)
                // Nothing of a record that fails authentication is kept.
                return authentic ? plaintextLength : 0
            }
        }
        guard authentic else { throw RecordFailure(alert: 20, message: "a record failed authentication (bad_record_mac)") }
        readSequence &+= 1
        return output
    }

    private mutating func handle(
        type: ContentType, _ plaintext: ByteBuffer, into opened: inout Opened, allocator: ByteBufferAllocator
    ) throws(RecordFailure) {
        switch type {
        case .applicationData:
            guard plaintext.readableBytes > 0 else { return }
            if opened.plaintext == nil {
                opened.plaintext = plaintext
            } else {
                var more = plaintext
                opened.plaintext!.writeBuffer(&more)
            }
        case .alert:
            guard plaintext.readableBytes == 2, let level = plaintext.getInteger(at: plaintext.readerIndex, as: UInt8.self),
                  let description = plaintext.getInteger(at: plaintext.readerIndex + 1, as: UInt8.self)
            else { throw RecordFailure(alert: 50, message: "an alert record of \(plaintext.readableBytes) bytes") }
            if description == 0 {
                opened.closeNotify = true
            } else if level == 2 {
                throw RecordFailure(alert: nil, message: "the peer sent the fatal alert \(description)")
            }
        // Warnings other than close_notify are ignored, as OpenSSL does.
        case .handshake:
            // Only a renegotiation ClientHello may come now; refuse it and carry on (the peer
            // decides whether to continue without renegotiating).
            guard plaintext.getInteger(at: plaintext.readerIndex, as: UInt8.self) == 1 else {
                throw RecordFailure(alert: 10, message: "a handshake message after the handshake")
            }
            var warning = try sealAlert(level: 1, description: 100, allocator: allocator)
            if opened.replies == nil { opened.replies = warning } else { opened.replies!.writeBuffer(&warning) }
        case .changeCipherSpec:
            throw RecordFailure(alert: 10, message: "a ChangeCipherSpec after the handshake")
        }
    }

    // MARK: Sending

    /// `plaintext` as records of at most 2^14 bytes each (an empty buffer gives no record).
    mutating func seal(_ plaintext: ByteBuffer, type: ContentType = .applicationData, allocator: ByteBufferAllocator) throws(RecordFailure) -> ByteBuffer {
        let total = plaintext.readableBytes
        let records = (total + Self.maxPlaintext - 1) / Self.maxPlaintext
        let overhead = Self.headerLength + Self.explicitNonceLength + Self.tagLength
        var output = allocator.buffer(capacity: total + records * overhead)
        guard records > 0 else { return output }
        let context = try Self.context(cipher, key: keys.write, encrypt: true)
        var remaining = plaintext
        while remaining.readableBytes > 0 {
            guard writeSequence < UInt64.max else { throw RecordFailure(alert: nil, message: "the write sequence number is exhausted") }
            let length = min(remaining.readableBytes, Self.maxPlaintext)
            let chunk = remaining.readSlice(length: length)!
            let additional = Self.additionalData(sequence: writeSequence, type: type, length: length)
            // The explicit nonce is the sequence number, as the additional data begins with it.
            let explicit = Array(additional[0..<Self.explicitNonceLength])
            output.writeInteger(type.rawValue)
            output.writeInteger(Self.version.0)
            output.writeInteger(Self.version.1)
            output.writeInteger(UInt16(Self.explicitNonceLength + length + Self.tagLength))
            output.writeBytes(explicit)
            let ok = chunk.withUnsafeReadableBytes { input -> Bool in
                var sealed = false
                output.writeWithUnsafeMutableBytes(minimumWritableBytes: length + Self.tagLength) { out in
                    sealed = context.seal(nonce: keys.writeSalt + explicit, additional: additional, plaintext: input, into: out)
                    return sealed ? length + Self.tagLength : 0
                }
                return sealed
            }
            guard ok else { throw RecordFailure(alert: nil, message: "AES-GCM encryption failed") }
            writeSequence &+= 1
        }
        return output
    }

    /// A sealed alert record (`level` 1 warning, 2 fatal).
    mutating func sealAlert(level: UInt8, description: UInt8, allocator: ByteBufferAllocator) throws(RecordFailure) -> ByteBuffer {
        var alert = allocator.buffer(capacity: 2)
        alert.writeBytes([level, description])
        return try seal(alert, type: .alert, allocator: allocator)
    }

    private static func context(_ cipher: GCMCipher, key: [UInt8], encrypt: Bool) throws(RecordFailure) -> GCMContext {
        guard let context = GCMContext(cipher: cipher, key: key, encrypt: encrypt) else {
            throw RecordFailure(alert: 80, message: "AES-GCM is not available")
        }
        return context
    }

    /// `seq_num ‖ type ‖ version ‖ length` (RFC 5246 §6.2.3.3).
    private static func additionalData(sequence: UInt64, type: ContentType, length: Int) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: 13)
        for index in 0..<8 { bytes[index] = UInt8(truncatingIfNeeded: sequence >> (56 - 8 * index)) }
        bytes[8] = type.rawValue
        bytes[9] = version.0
        bytes[10] = version.1
        bytes[11] = UInt8(length >> 8)
        bytes[12] = UInt8(length & 0xFF)
        return bytes
    }
}

/// A session's two keys and salts, cleansed when the session ends.
private final class RecordKeys {
    private(set) var read: [UInt8]
    private(set) var write: [UInt8]
    let readSalt: [UInt8]
    let writeSalt: [UInt8]

    init(_ expansion: TLS12KeyExpansion, isServer: Bool) {
        read = isServer ? expansion.clientKey : expansion.serverKey
        write = isServer ? expansion.serverKey : expansion.clientKey
        readSalt = isServer ? expansion.clientSalt : expansion.serverSalt
        writeSalt = isServer ? expansion.serverSalt : expansion.clientSalt
    }

    deinit {
        // Unique by now (the expansion that shared the storage is gone): no copy is made.
        TLS12KeyExpansion.cleanse(&read)
        TLS12KeyExpansion.cleanse(&write)
    }
}

/// An AES-GCM cipher of OpenSSL's default provider, fetched once per process (an implicit
/// fetch per record would look the algorithm up every time).
public final class GCMCipher: @unchecked Sendable {
    // Sendable: a fetched EVP_CIPHER is immutable and reference-counted by OpenSSL, which
    // documents sharing it between threads as safe.
    public static let aes128 = GCMCipher(name: "AES-128-GCM")
    public static let aes256 = GCMCipher(name: "AES-256-GCM")

    let pointer: OpaquePointer?

    private init(name: String) {
        pointer = EVP_CIPHER_fetch(nil, name, nil)
    }
}

/// One `EVP_CIPHER_CTX` keyed for one direction, with a 12-byte nonce per message: AES-GCM
/// sealing with additional data and a 16-byte tag. The record layer keys one per batch of
/// records and frees it (so an idle session holds none); the store's `SecretSealer` one per
/// secret.
public final class GCMContext {
    /// Bytes of the tag `seal` appends and `open` checks.
    public static let tagLength = 16
    private let context: OpaquePointer
    private let encrypting: Bool

    /// nil when AES-GCM is unavailable or the key is refused.
    public init?(cipher: GCMCipher, key: [UInt8], encrypt: Bool) {
        guard let evp = cipher.pointer, let context = EVP_CIPHER_CTX_new() else { return nil }
        let ok = encrypt ? EVP_EncryptInit_ex2(context, evp, key, nil, nil) : EVP_DecryptInit_ex2(context, evp, key, nil, nil)
        guard ok == 1 else {
            EVP_CIPHER_CTX_free(context)
            return nil
        }
        self.context = context
        self.encrypting = encrypt
    }

    deinit { EVP_CIPHER_CTX_free(context) }

    /// Writes `ciphertext ‖ tag` (plaintext count + 16 bytes) to `out`.
    public func seal(nonce: [UInt8], additional: [UInt8], plaintext: UnsafeRawBufferPointer, into out: UnsafeMutableRawBufferPointer) -> Bool {
        precondition(encrypting && out.count >= plaintext.count + GCMContext.tagLength)
        var length: Int32 = 0
        guard EVP_EncryptInit_ex2(context, nil, nil, nonce, nil) == 1,
              EVP_EncryptUpdate(context, nil, &length, additional, Int32(additional.count)) == 1
        else { return false }
        let bytes = out.baseAddress!.assumingMemoryBound(to: UInt8.self)
        if plaintext.count > 0 {
            guard EVP_EncryptUpdate(
                context, bytes, &length, plaintext.baseAddress!.assumingMemoryBound(to: UInt8.self), Int32(plaintext.count)) == 1,
                  length == Int32(plaintext.count)
            else { return false }
        }
        var tail: Int32 = 0
        guard EVP_EncryptFinal_ex(context, bytes + plaintext.count, &tail) == 1, tail == 0 else { return false }
        return EVP_CIPHER_CTX_ctrl(
            context, tether_EVP_CTRL_GCM_GET_TAG(), Int32(GCMContext.tagLength), bytes + plaintext.count) == 1
    }

    /// Decrypts `ciphertext` into `out` and checks `tag`; false when the message is not authentic
    /// (then `out` must be discarded).
    public func open(
        nonce: [UInt8], additional: [UInt8], ciphertext: UnsafeRawBufferPointer, tag: UnsafeRawBufferPointer,
        into out: UnsafeMutableRawBufferPointer
    ) -> Bool {
        precondition(!encrypting && out.count >= ciphertext.count && tag.count == GCMContext.tagLength)
        var length: Int32 = 0
        guard EVP_DecryptInit_ex2(context, nil, nil, nonce, nil) == 1,
              EVP_DecryptUpdate(context, nil, &length, additional, Int32(additional.count)) == 1
        else { return false }
        let bytes = out.baseAddress!.assumingMemoryBound(to: UInt8.self)
        if ciphertext.count > 0 {
            guard EVP_DecryptUpdate(
                context, bytes, &length, ciphertext.baseAddress!.assumingMemoryBound(to: UInt8.self), Int32(ciphertext.count)) == 1,
                  length == Int32(ciphertext.count)
            else { return false }
        }
        var expected = Array(tag)
        guard EVP_CIPHER_CTX_ctrl(context, tether_EVP_CTRL_GCM_SET_TAG(), Int32(expected.count), &expected) == 1 else { return false }
        var tail: Int32 = 0
        return EVP_DecryptFinal_ex(context, bytes + ciphertext.count, &tail) == 1
    }
}
