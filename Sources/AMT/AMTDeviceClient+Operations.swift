import WSMan

/// Generic WS-Transfer / WS-Enumeration / method operations.
extension AMTDeviceClient {
    /// WS-Transfer Get of a singleton (or selected) instance; `timeout` overrides
    /// ``AMTClientConfiguration/callTimeout``.
    public func get(
        _ resource: WSManResource, selectors: [WSManSelector] = [], timeout: Duration? = nil
    ) async throws(AMTError) -> (WSManEnvelope, WSManInstance) {
        let reply = try await call(.get(resource, messageID: nextMessageID(), selectors: selectors), timeout: timeout)
        return (reply, try Self.instance(resource.className, in: reply))
    }

    /// Enumerate followed by Pull until `EndOfSequence` (at most 32 pulls); all items. The
    /// Enumerate asks for optimized enumeration (``AMTClientConfiguration/optimizedEnumeration``),
    /// so a short enumeration usually takes one round trip.
    public func enumerate(_ resource: WSManResource) async throws(AMTError) -> [WSManInstance] {
        try await enumerateElements(resource).map(WSManInstance.init(element:))
    }

    /// ``enumerate(_:)``'s items as elements, not yet made instances.
    func enumerateElements(_ resource: WSManResource) async throws(AMTError) -> [XMLElementNode] {
        let started = try await beginEnumeration(resource)
        var items = started.pullItemElements
        guard var context = started.enumerationContext, !started.endOfSequence else { return items }
        for _ in 0..<32 {
            let page = try await call(.pull(resource, context: context, messageID: nextMessageID()), continuing: true)
            items += page.pullItemElements
            guard !page.endOfSequence, let next = page.enumerationContext else { return items }
            context = next
        }
        throw .malformedReply("enumeration of \(resource.className) did not end after 32 pulls")
    }

    /// Largest page an optimized Enumerate asks for (as many as a Pull asks for).
    static let optimizedPageSize = 999

    /// The Enumerate of ``enumerate(_:)``: optimized unless configured off or refused before. A
    /// fault to the optimized form is retried once plainly; when that succeeds, the device is
    /// asked plainly from then on (DSP0226 lets a service not support the optimization).
    private func beginEnumeration(_ resource: WSManResource) async throws(AMTError) -> WSManEnvelope {
        let optimize = configuration.optimizedEnumeration && !state.withLock { $0.refusesOptimizedEnumeration }
        guard optimize else { return try await call(.enumerate(resource, messageID: nextMessageID())) }
        do {
            return try await call(.enumerate(resource, messageID: nextMessageID(), optimizedMaxElements: Self.optimizedPageSize))
        } catch {
            guard case .fault(let fault) = error else { throw error }
            let reply = try await call(.enumerate(resource, messageID: nextMessageID()))
            state.withLock { $0.refusesOptimizedEnumeration = true }
            logger.info(
                "the device refuses optimized enumeration; enumerating with Pull from now on",
                metadata: ["guid": "\(guid)", "fault": "\(fault.subcode ?? fault.code)"])
            return reply
        }
    }

    /// Invokes a method and returns the reply and its `ReturnValue`.
    public func invoke(_ request: WSManRequest, method: String) async throws(AMTError) -> (WSManEnvelope, ReturnValue) {
        let reply = try await call(request)
        do {
            return (reply, try reply.requireReturnValue(method: method))
        } catch let error as WSManFault {
            throw .fault(error)
        } catch {
            throw .malformedReply("\(error)")
        }
    }

    static func instance(_ className: String, in reply: WSManEnvelope) throws(AMTError) -> WSManInstance {
        guard let instance = reply.instance(className) else {
            throw .malformedReply("the reply has no \(className) instance")
        }
        return instance
    }
}
