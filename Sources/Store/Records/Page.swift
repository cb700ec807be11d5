/// Paging parameters (`$top` / `$skip` in the Open AMT APIs). Defaults: top 25, skip 0.
public struct PageRequest: Sendable, Equatable {
    /// Maximum number of items to return (0 returns an empty page with the total count).
    public var top: Int
    /// Number of items to skip.
    public var skip: Int

    public init(top: Int = 25, skip: Int = 0) {
        self.top = top
        self.skip = skip
    }

    /// Throws `StoreError.invalidArgument` with the Open AMT messages for negative values.
    func validated() throws -> PageRequest {
        if top < 0 { throw StoreError.invalidArgument("The number of items to return should be a positive integer") }
        if skip < 0 {
            throw StoreError.invalidArgument(
                "The number of items to skip before starting to collect the result set should be a positive integer")
        }
        return self
    }
}

/// One page of a list query.
public struct Page<Item: Sendable>: Sendable {
    /// The items on this page, in the list's order.
    public var items: [Item]
    /// The number of items matching the query, across all pages.
    public var totalCount: Int

    public init(items: [Item], totalCount: Int) {
        self.items = items
        self.totalCount = totalCount
    }
}

extension Page: Equatable where Item: Equatable {}
