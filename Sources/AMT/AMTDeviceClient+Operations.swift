import WSMan

/// Generic WS-Transfer / WS-Enumeration / method operations.
extension AMTDeviceClient {
    /// WS-Transfer Get of a singleton (or selected) instance.
    public func get(_ resource: WSManResource, selectors: [WSManSelector] = []) async throws(AMTError) -> (WSManEnvelope, WSManInstance) {
        let reply = try await call(.get(resource, messageID: nextMessageID(), selectors: selectors))
        return (reply, try Self.instance(resource.className, in: reply))
    }

    /// Enumerate followed by Pull until `EndOfSequence` (at most 32 pulls); all items.
    public func enumerate(_ resource: WSManResource) async throws(AMTError) -> [WSManInstance] {
        let started = try await call(.enumerate(resource, messageID: nextMessageID()))
        var items = started.pullItems
        guard var context = started.enumerationContext, !started.endOfSequence else { return items }
        for _ in 0..<32 {
            let page = try await call(.pull(resource, context: context, messageID: nextMessageID()), continuing: true)
            items += page.pullItems
            guard !page.endOfSequence, let next = page.enumerationContext else { return items }
            context = next
        }
        throw .malformedReply("enumeration of \(resource.className) did not end after 32 pulls")
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
