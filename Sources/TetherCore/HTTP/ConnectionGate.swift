import Synchronization

/// Counts a listener's open connections and refuses those beyond `limit`. Thread-safe.
final class ConnectionGate: Sendable {
    let limit: Int
    private let open = Atomic<Int>(0)
    private let refusedCount = Atomic<Int>(0)

    init(limit: Int) { self.limit = limit }

    /// Takes a slot; false (nothing taken) when `limit` connections are open.
    func admit() -> Bool {
        let now = open.wrappingAdd(1, ordering: .relaxed).newValue
        guard now <= limit else {
            open.wrappingSubtract(1, ordering: .relaxed)
            refusedCount.wrappingAdd(1, ordering: .relaxed)
            return false
        }
        return true
    }

    /// Gives back a slot taken by `admit`.
    func release() { open.wrappingSubtract(1, ordering: .relaxed) }

    /// Connections open now.
    var current: Int { open.load(ordering: .relaxed) }
    /// Connections refused so far.
    var refused: Int { refusedCount.load(ordering: .relaxed) }
}
