import NIOCore

/// A Sendable handle on a connection handler: every call hops to the connection's event loop.
struct CIRAConnectionReference: Sendable {
    let eventLoop: any EventLoop
    let handler: NIOLoopBound<CIRAConnectionHandler>

    init(handler: CIRAConnectionHandler, eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
        self.handler = NIOLoopBound(handler, eventLoop: eventLoop)
    }

    func openChannel(port: UInt32) async throws(CIRAChannelError) -> CIRAChannelStream {
        let promise = eventLoop.makePromise(of: CIRAChannelStream.self)
        eventLoop.execute { handler.value.openChannel(port: port, promise: promise) }
        do {
            return try await promise.futureResult.get()
        } catch let error as CIRAChannelError {
            throw error
        } catch {
            throw .closed
        }
    }

    func write(_ bytes: [UInt8], to localID: UInt32) async throws(CIRAChannelError) {
        let promise = eventLoop.makePromise(of: Void.self)
        eventLoop.execute { handler.value.writeChannel(localID, bytes: bytes, promise: promise) }
        do {
            try await promise.futureResult.get()
        } catch let error as CIRAChannelError {
            throw error
        } catch {
            throw .closed
        }
    }

    func consumed(_ count: Int, on localID: UInt32) {
        eventLoop.execute { handler.value.channelConsumed(localID, count: count) }
    }

    func closeChannel(_ localID: UInt32) {
        eventLoop.execute { handler.value.closeChannel(localID) }
    }

    /// True when the device answers a keep-alive round trip within `timeout`.
    func probe(timeout: Duration) async -> Bool {
        let promise = eventLoop.makePromise(of: Bool.self)
        eventLoop.execute { handler.value.probe(timeout: timeout, promise: promise) }
        return (try? await promise.futureResult.get()) ?? false
    }

    func close(reason: String) {
        eventLoop.execute { handler.value.closeConnection(reason: reason) }
    }
}
