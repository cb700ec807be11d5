import COpenSSL
import NIOCore

/// A NIO channel handler that runs TLS over OpenSSL with two memory BIOs, in server or client
/// mode depending on its ``TLSContext``.
///
/// * Inbound ciphertext is fed to OpenSSL; plaintext is passed on as `ByteBuffer`s.
/// * Outbound writes made before the handshake completes are queued, then encrypted and
///   written (with their promises) once it does; a `flush` requested meanwhile is honoured.
/// * On success it fires ``TLSHandshakeCompleted`` as a user inbound event.
/// * Failures fire `errorCaught` with a ``TLSError`` (carrying OpenSSL's error string or the
///   certificate detail), then close the channel. Untrusted input never traps.
/// * `close` sends `close_notify` first (not after the socket failed: a reset peer cannot read
///   it); a received `close_notify` closes the channel.
/// * Memory: the context sets `SSL_MODE_RELEASE_BUFFERS`, memory BIOs are replaced once
///   drained, and no Swift buffer is retained between records.
///
/// Threading: like every NIO handler, an instance belongs to one channel and is used only on
/// that channel's event loop; it is not `Sendable`. Add it with `syncOperations`.
public final class OpenSSLHandler: ChannelDuplexHandler, RemovableChannelHandler {
    public typealias InboundIn = ByteBuffer
    public typealias InboundOut = ByteBuffer
    public typealias OutboundIn = ByteBuffer
    public typealias OutboundOut = ByteBuffer

    private enum State {
        case idle, handshaking, active, closing, closed
    }

    /// Memory BIOs whose buffer grew beyond this many bytes are replaced when empty: any
    /// buffer, so an idle tunnel holds none (a fresh memory BIO allocates on its first write).
    static let idleBIOCapacityLimit = 0
    /// Plaintext is encrypted at most this many bytes at a time.
    private static let writeSliceSize = 64 * 1024

    private let tlsContext: TLSContext
    private let verification: PeerVerificationState
    private let serverName: String?
    private var ssl: OpaquePointer?
    /// The record layer that replaced `ssl` after a TLS 1.2 AES-GCM handshake (then `ssl` is nil).
    private var compact: CompactRecordLayer?
    private var state: State = .idle
    /// Whether the peer has sent anything (a close before that is ``TLSError/closedBeforeHello``).
    private var receivedBytes = false
    /// Writes made before the handshake completed. An array, not a `CircularBuffer` (which
    /// allocates 16 slots at once): it stays unallocated on connections that never queue.
    private var pendingWrites: [(ByteBuffer, EventLoopPromise<Void>?)] = []
    private var flushRequested = false
    /// The socket failed (a reset, a broken pipe): `close` then sends no `close_notify`, which
    /// could not arrive and would cost a write that fails.
    private var transportFailed = false

    /// The handshake result once it has completed, otherwise `nil`.
    public private(set) var handshakeResult: TLSHandshakeCompleted?

    /// - Parameters:
    ///   - context: the shared, configured context; its role decides server or client mode.
    ///   - serverName: client mode only: the name the server certificate must carry (its CN or
    ///     a subjectAltName) when the context verifies its peer; also sent as SNI unless it is
    ///     an IP address. Ignored in server mode.
    public init(context: TLSContext, serverName: String? = nil) {
        self.tlsContext = context
        self.serverName = context.isServer ? nil : serverName
        self.verification = PeerVerificationState(expectedName: context.isServer ? nil : serverName)
    }

    deinit {
        if let ssl {
            SSL_free(ssl)
        }
    }

    // MARK: Lifecycle

    public func handlerAdded(context: ChannelHandlerContext) {
        do {
            try makeSSL()
        } catch {
            fail(context: context, error: error)
            return
        }
        if context.channel.isActive {
            startHandshake(context: context)
        }
    }

    public func handlerRemoved(context: ChannelHandlerContext) {
        failPendingWrites(ChannelError.ioOnClosedChannel)
        state = .closed
        compact = nil
        if let ssl {
            SSL_free(ssl)
            self.ssl = nil
        }
    }

    public func channelActive(context: ChannelHandlerContext) {
        startHandshake(context: context)
        context.fireChannelActive()
    }

    public func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if error is IOError { transportFailed = true }
        context.fireErrorCaught(error)
    }

    public func channelInactive(context: ChannelHandlerContext) {
        let wasHandshaking = state == .handshaking
        state = .closed
        failPendingWrites(ChannelError.ioOnClosedChannel)
        if wasHandshaking {
            context.fireErrorCaught(receivedBytes ? TLSError.unexpectedEOF : TLSError.closedBeforeHello)
        }
        context.fireChannelInactive()
    }

    // MARK: Inbound

    public func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        receivedBytes = true
        if compact != nil {
            if state == .active { readCompact(context: context, incoming: unwrapInboundIn(data)) }
            return
        }
        guard let ssl, state == .handshaking || state == .active else { return }
        let buffer = unwrapInboundIn(data)
        guard let rbio = SSL_get_rbio(ssl) else { return }
        let written = buffer.withUnsafeReadableBytes { bytes -> Int32 in
            guard bytes.count > 0 else { return 0 }
            return BIO_write(rbio, bytes.baseAddress, Int32(clamping: bytes.count))
        }
        guard written == Int32(clamping: buffer.readableBytes) else {
            fail(context: context, error: TLSError.ioFailed("cannot buffer \(buffer.readableBytes) received bytes"))
            return
        }
        if state == .handshaking {
            advanceHandshake(context: context)
        }
        if state == .active {
            if compact != nil {
                // Records that came with the handshake's last flight.
                readCompact(context: context, incoming: nil)
            } else {
                readPlaintext(context: context)
            }
        }
        if state != .closed {
            flushCiphertext(context: context)
            releaseIdleBIOs()
        }
    }

    public func channelReadComplete(context: ChannelHandlerContext) {
        context.fireChannelReadComplete()
    }

    // MARK: Outbound

    public func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let buffer = unwrapOutboundIn(data)
        switch state {
        case .idle, .handshaking:
            pendingWrites.append((buffer, promise))
        case .active:
            encrypt(context: context, buffer: buffer, promise: promise)
        case .closing, .closed:
            promise?.fail(ChannelError.ioOnClosedChannel)
        }
    }

    public func flush(context: ChannelHandlerContext) {
        switch state {
        case .idle, .handshaking:
            flushRequested = true
        case .active, .closing, .closed:
            context.flush()
        }
    }

    public func close(context: ChannelHandlerContext, mode: CloseMode, promise: EventLoopPromise<Void>?) {
        if mode == .input {
            context.close(mode: mode, promise: promise)
            return
        }
        switch state {
        case .active where transportFailed:
            state = .closed
            failPendingWrites(ChannelError.ioOnClosedChannel)
        case .active:
            state = .closing
            sendCloseNotify(context: context)
        case .idle, .handshaking:
            state = .closed
            failPendingWrites(ChannelError.ioOnClosedChannel)
        case .closing, .closed:
            break
        }
        context.close(mode: mode, promise: promise)
    }

    // MARK: Handshake

    private func makeSSL() throws(TLSError) {
        guard ssl == nil else { return }
        OpenSSLErrorQueue.clear()
        guard let newSSL = SSL_new(tlsContext.pointer) else {
            throw TLSError.invalidConfiguration(OpenSSLErrorQueue.drain(fallback: "SSL_new failed"))
        }
        guard let rbio = Self.makeMemoryBIO(), let wbio = Self.makeMemoryBIO() else {
            SSL_free(newSSL)
            throw TLSError.invalidConfiguration("cannot allocate memory BIOs")
        }
        SSL_set_bio(newSSL, rbio, wbio)
        if tlsContext.isServer {
            // No verification state: only client contexts install the callback that reads it
            // (and an ex_data slot costs every idle tunnel three allocations).
            SSL_set_accept_state(newSSL)
        } else {
            SSL_set_ex_data(newSSL, peerVerificationExDataIndex, Unmanaged.passUnretained(verification).toOpaque())
            if let serverName, IPAddressText.bytes(serverName) == nil {
                _ = tether_SSL_set_tlsext_host_name(newSSL, serverName)
            }
            SSL_set_connect_state(newSSL)
        }
        ssl = newSSL
    }

    private static func makeMemoryBIO() -> OpaquePointer? {
        guard let bio = BIO_new(BIO_s_mem()) else { return nil }
        // An empty BIO means "retry later", never end-of-file.
        _ = tether_BIO_set_mem_eof_return(bio, -1)
        return bio
    }

    private func startHandshake(context: ChannelHandlerContext) {
        guard state == .idle, ssl != nil else { return }
        state = .handshaking
        advanceHandshake(context: context)
        if state == .handshaking {
            flushCiphertext(context: context)
        }
    }

    private func advanceHandshake(context: ChannelHandlerContext) {
        guard let ssl else { return }
        OpenSSLErrorQueue.clear()
        let rc = SSL_do_handshake(ssl)
        if rc == 1 {
            completeHandshake(context: context, ssl: ssl)
            return
        }
        switch SSL_get_error(ssl, rc) {
        case SSL_ERROR_WANT_READ, SSL_ERROR_WANT_WRITE:
            return
        default:
            let detail = OpenSSLErrorQueue.drain(fallback: "the peer sent an invalid handshake")
            fail(context: context, error: verification.failure ?? TLSError.handshakeFailed(detail))
        }
    }

    private func completeHandshake(context: ChannelHandlerContext, ssl: OpaquePointer) {
        state = .active
        let version = String(cString: SSL_get_version(ssl))
        let cipher = SSL_get_current_cipher(ssl).map { String(cString: SSL_CIPHER_get_name($0)) } ?? "unknown"
        let peerCN = SSL_get0_peer_certificate(ssl).flatMap { CertificateSummary.commonName(of: X509_get_subject_name($0)) }
        let result = TLSHandshakeCompleted(protocolVersion: version, cipher: cipher, peerCertificateCN: peerCN)
        handshakeResult = result
        // Handshake tail first, then the writes queued while it ran, in order.
        flushCiphertext(context: context)
        releaseSSLIfCompact(ssl)
        let queued = pendingWrites
        pendingWrites = []
        for (buffer, promise) in queued {
            // A failed write closes the connection: the rest fail as writes on a closed channel.
            guard state == .active else {
                promise?.fail(ChannelError.ioOnClosedChannel)
                continue
            }
            encrypt(context: context, buffer: buffer, promise: promise)
        }
        if flushRequested, state == .active {
            flushRequested = false
            context.flush()
        }
        if state == .active {
            context.fireUserInboundEventTriggered(result)
        }
    }

    /// Hands the session to ``CompactRecordLayer`` and frees the `SSL` when the configuration
    /// allows it, the session is TLS 1.2 AES-GCM, and OpenSSL holds no buffered record: any
    /// ciphertext still in the read BIO (records sent right after `Finished`) moves over.
    private func releaseSSLIfCompact(_ ssl: OpaquePointer) {
        guard tlsContext.configuration.compactRecordLayer, SSL_has_pending(ssl) == 0,
              let wbio = SSL_get_wbio(ssl), BIO_ctrl_pending(wbio) == 0, let rbio = SSL_get_rbio(ssl),
              let keys = TLS12KeyExpansion(ssl: ssl)
        else { return }
        var layer = CompactRecordLayer(keys: keys, isServer: tlsContext.isServer)
        let leftover = Int(BIO_ctrl_pending(rbio))
        if leftover > 0 {
            var bytes = ByteBufferAllocator().buffer(capacity: leftover)
            bytes.writeWithUnsafeMutableBytes(minimumWritableBytes: leftover) { out in
                Int(max(0, BIO_read(rbio, out.baseAddress, Int32(clamping: leftover))))
            }
            layer.hold(bytes)
        }
        SSL_free(ssl)
        self.ssl = nil
        compact = layer
    }

    /// Decrypts what arrived (and anything held) with the compact record layer.
    private func readCompact(context: ChannelHandlerContext, incoming: ByteBuffer?) {
        guard let opened = compact?.open(incoming, allocator: context.channel.allocator) else { return }
        if let replies = opened.replies {
            context.writeAndFlush(wrapOutboundOut(replies), promise: nil)
        }
        // The authentic records before a failure are delivered first (nothing received is lost).
        if let plaintext = opened.plaintext, state == .active {
            context.fireChannelRead(wrapInboundOut(plaintext))
        }
        if let failure = opened.failure {
            failCompact(context: context, failure)
        } else if opened.closeNotify, state == .active {
            state = .closing
            sendCloseNotify(context: context)
            context.close(promise: nil)
        }
    }

    /// Sends the failure's fatal alert (if any), then fails the connection.
    private func failCompact(context: ChannelHandlerContext, _ failure: CompactRecordLayer.RecordFailure) {
        if let alert = failure.alert, state == .active || state == .closing,
           let record = try? compact?.sealAlert(level: 2, description: alert, allocator: context.channel.allocator) {
            context.writeAndFlush(wrapOutboundOut(record), promise: nil)
        }
        fail(context: context, error: TLSError.ioFailed(failure.message))
    }

    /// Whether the session runs on ``CompactRecordLayer`` (the `SSL` is freed).
    var usesCompactRecordLayer: Bool { compact != nil }

    // MARK: Data

    private func readPlaintext(context: ChannelHandlerContext) {
        while state == .active, let ssl, let rbio = SSL_get_rbio(ssl) {
            let available = max(Int(SSL_pending(ssl)), Int(BIO_ctrl_pending(rbio)))
            guard available > 0 else { return }
            var output = context.channel.allocator.buffer(capacity: min(available, 16 * 1024))
            var rc: Int32 = 0
            OpenSSLErrorQueue.clear()
            output.writeWithUnsafeMutableBytes(minimumWritableBytes: 1) { bytes in
                rc = SSL_read(ssl, bytes.baseAddress, Int32(clamping: bytes.count))
                return rc > 0 ? Int(rc) : 0
            }
            if rc > 0 {
                context.fireChannelRead(wrapInboundOut(output))
                continue
            }
            switch SSL_get_error(ssl, rc) {
            case SSL_ERROR_WANT_READ, SSL_ERROR_WANT_WRITE:
                return
            case SSL_ERROR_ZERO_RETURN:
                // The peer sent close_notify: answer it and close.
                state = .closing
                sendCloseNotify(context: context)
                context.close(promise: nil)
                return
            default:
                let detail = OpenSSLErrorQueue.drain(fallback: "unreadable TLS record")
                fail(context: context, error: TLSError.ioFailed(detail))
                return
            }
        }
    }

    private func encrypt(context: ChannelHandlerContext, buffer: ByteBuffer, promise: EventLoopPromise<Void>?) {
        if compact != nil {
            do {
                context.write(wrapOutboundOut(try compact!.seal(buffer, allocator: context.channel.allocator)), promise: promise)
            } catch {
                promise?.fail(TLSError.ioFailed(error.message))
                failCompact(context: context, error)
            }
            return
        }
        guard let ssl else {
            promise?.fail(ChannelError.ioOnClosedChannel)
            return
        }
        var remaining = buffer
        if remaining.readableBytes == 0 {
            context.write(wrapOutboundOut(remaining), promise: promise)
            return
        }
        while remaining.readableBytes > 0 {
            let sliceLength = min(remaining.readableBytes, Self.writeSliceSize)
            OpenSSLErrorQueue.clear()
            let rc = remaining.withUnsafeReadableBytes { bytes in
                SSL_write(ssl, bytes.baseAddress, Int32(sliceLength))
            }
            guard rc > 0 else {
                let error = TLSError.ioFailed(OpenSSLErrorQueue.drain(fallback: "SSL_write failed"))
                promise?.fail(error)
                fail(context: context, error: error)
                return
            }
            remaining.moveReaderIndex(forwardBy: Int(rc))
            let isLast = remaining.readableBytes == 0
            if let ciphertext = takeCiphertext(context: context) {
                context.write(wrapOutboundOut(ciphertext), promise: isLast ? promise : nil)
            } else if isLast {
                promise?.succeed()
            }
        }
        releaseIdleBIOs()
    }

    private func sendCloseNotify(context: ChannelHandlerContext) {
        if compact != nil {
            failPendingWrites(ChannelError.ioOnClosedChannel)
            if let record = try? compact!.sealAlert(level: 1, description: 0, allocator: context.channel.allocator) {
                context.writeAndFlush(wrapOutboundOut(record), promise: nil)
            }
            return
        }
        guard let ssl else { return }
        OpenSSLErrorQueue.clear()
        _ = SSL_shutdown(ssl)
        // A failed shutdown only means no alert is sent; the connection closes either way.
        _ = OpenSSLErrorQueue.drain(fallback: "")
        failPendingWrites(ChannelError.ioOnClosedChannel)
        flushCiphertext(context: context)
    }

    // MARK: Ciphertext plumbing

    /// Drains the write BIO into a buffer sized exactly to its content.
    private func takeCiphertext(context: ChannelHandlerContext) -> ByteBuffer? {
        guard let ssl, let wbio = SSL_get_wbio(ssl) else { return nil }
        let pending = Int(BIO_ctrl_pending(wbio))
        guard pending > 0 else { return nil }
        var output = context.channel.allocator.buffer(capacity: pending)
        output.writeWithUnsafeMutableBytes(minimumWritableBytes: pending) { bytes in
            Int(max(0, BIO_read(wbio, bytes.baseAddress, Int32(clamping: pending))))
        }
        return output
    }

    private func flushCiphertext(context: ChannelHandlerContext) {
        if let ciphertext = takeCiphertext(context: context) {
            context.writeAndFlush(wrapOutboundOut(ciphertext), promise: nil)
        }
    }

    /// Replaces drained memory BIOs whose buffers grew large, so idle connections stay small.
    private func releaseIdleBIOs() {
        guard let ssl else { return }
        if let rbio = SSL_get_rbio(ssl), BIO_ctrl_pending(rbio) == 0,
           tether_BIO_mem_capacity(rbio) > Self.idleBIOCapacityLimit,
           let fresh = Self.makeMemoryBIO() {
            SSL_set0_rbio(ssl, fresh)
        }
        if let wbio = SSL_get_wbio(ssl), BIO_ctrl_pending(wbio) == 0,
           tether_BIO_mem_capacity(wbio) > Self.idleBIOCapacityLimit,
           let fresh = Self.makeMemoryBIO() {
            SSL_set0_wbio(ssl, fresh)
        }
    }

    /// Current allocated sizes of the read and write memory BIOs (for tests and metrics).
    var bioCapacities: (read: Int, write: Int) {
        guard let ssl, let rbio = SSL_get_rbio(ssl), let wbio = SSL_get_wbio(ssl) else { return (0, 0) }
        return (Int(tether_BIO_mem_capacity(rbio)), Int(tether_BIO_mem_capacity(wbio)))
    }

    // MARK: Failure

    private func fail(context: ChannelHandlerContext, error: Error) {
        guard state != .closed else { return }
        state = .closed
        // Let the peer see OpenSSL's alert, if one was produced.
        flushCiphertext(context: context)
        failPendingWrites(error)
        context.fireErrorCaught(error)
        context.close(promise: nil)
    }

    private func failPendingWrites(_ error: Error) {
        flushRequested = false
        let failed = pendingWrites
        pendingWrites = []
        for (_, promise) in failed {
            promise?.fail(error)
        }
    }
}

@available(*, unavailable)
extension OpenSSLHandler: Sendable {}
