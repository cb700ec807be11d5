import Synchronization

/// The host's event bus. `publish` is O(1) and never waits: events enter one bounded ingress
/// queue, whose task fills in missing tenants (from the device record, cached) and hands each
/// event to every matching subscription's own bounded queue. Order is kept end to end: every
/// subscriber sees events in publish order, so per device too. A subscriber that does not keep
/// up loses events (counted), never slows the host or the other subscribers. Thread-safe.
public final class EventBus: Sendable {
    /// Totals served on `/metrics`.
    public struct Snapshot: Sendable {
        public var published = 0
        /// Events lost because the ingress queue was full.
        public var droppedAtIngress = 0
        public var subscriptions: [(name: String, counters: EventSubscription.Counters)] = []
    }

    /// Finds the tenant of a device (nil: unknown device).
    public typealias TenantResolver = @Sendable (_ guid: String) async -> String?

    private struct State {
        var subscriptions: [EventSubscription] = []
        var published = 0
        var tenants: [String: String] = [:]
        var resolver: TenantResolver?
    }

    private let state = Mutex(State())
    private let ingress = Mutex<EventSubscription?>(nil)
    /// Cached tenants at most (the cache is emptied when it would grow past this).
    static let tenantCacheLimit = 100_000

    /// `ingressCapacity`: events buffered before fan-out (publishers are never blocked).
    public init(ingressCapacity: Int = 65_536) {
        let queue = EventSubscription(name: "ingress", patterns: [EventTypePattern("*")!], capacity: ingressCapacity) {
            [weak self] event in
            guard let self else { return false }
            await self.fanOut(event)
            return true
        }
        ingress.withLock { $0 = queue }
    }

    /// Sets how tenants of device events published without one are found.
    public func setTenantResolver(_ resolver: @escaping TenantResolver) {
        state.withLock { $0.resolver = resolver }
    }

    /// Publishes `event` to every matching subscriber. Never blocks, never throws.
    public func publish(_ event: TetherEvent) {
        state.withLock { $0.published += 1 }
        ingress.withLock { $0 }?.offer(event)
    }

    /// Subscribes to events matching `patterns`. `deliver` is called for one event at a time, in
    /// order, from the subscription's own task; it returns false when delivery failed (counted).
    /// `capacity` bounds the events waiting for this subscriber.
    @discardableResult
    public func subscribe(
        name: String, patterns: [EventTypePattern], capacity: Int = 1024,
        deliver: @escaping @Sendable (TetherEvent) async -> Bool
    ) -> EventSubscription {
        let subscription = EventSubscription(name: name, patterns: patterns, capacity: capacity, deliver: deliver)
        state.withLock { $0.subscriptions.append(subscription) }
        return subscription
    }

    /// Ends `subscription` (its queued events are discarded).
    public func unsubscribe(_ subscription: EventSubscription) {
        state.withLock { $0.subscriptions.removeAll { $0 === subscription } }
        subscription.close()
    }

    /// Ends every subscription (host shutdown).
    public func closeAll() {
        let all = state.withLock { state in
            defer { state.subscriptions = [] }
            return state.subscriptions
        }
        all.forEach { $0.close() }
    }

    public var snapshot: Snapshot {
        let ingressCounters = ingress.withLock { $0 }?.counters ?? .init()
        return state.withLock { state in
            Snapshot(
                published: state.published, droppedAtIngress: ingressCounters.dropped,
                subscriptions: state.subscriptions.map { ($0.name, $0.counters) })
        }
    }

    private func fanOut(_ event: TetherEvent) async {
        var event = event
        if event.tenantId == nil, let guid = event.guid {
            event.tenantId = await tenant(of: guid)
        }
        let targets = state.withLock { $0.subscriptions.filter { $0.accepts(event.type) } }
        for subscription in targets { subscription.offer(event) }
    }

    private func tenant(of guid: String) async -> String {
        let (cached, resolver) = state.withLock { ($0.tenants[guid], $0.resolver) }
        if let cached { return cached }
        guard let resolver, let tenant = await resolver(guid) else { return "" }
        state.withLock { state in
            if state.tenants.count >= Self.tenantCacheLimit { state.tenants = [:] }
            state.tenants[guid] = tenant
        }
        return tenant
    }
}
