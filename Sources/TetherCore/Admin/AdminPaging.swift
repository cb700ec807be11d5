import PluginHost
import Store
import TetherJSON

/// `$top`, `$skip` and `$count` of the Open AMT list endpoints, with their validation messages.
struct AdminPaging: Sendable {
    var page: PageRequest
    /// When true the result is `{"data": […], "totalCount": N}`, else the bare array.
    var count: Bool

    /// The largest page served: a larger `$top` (RPS accepts any) is served as this many items;
    /// clients page on with `$skip`, as with any page.
    static let maximumTop = 1000

    static let topMessage = "The number of items to return should be a positive integer"
    static let skipMessage = "The number of items to skip before starting to collect the result set should be a positive integer"
    static let countMessage = "To return total number of records in result set should be boolean"

    /// Reads the paging arguments (numbers or numeric strings; `$count` a boolean or
    /// "true"/"false"/"1"/"0"). - Throws: `.badRequest` with field errors.
    init(_ args: AdminArguments) throws(CommandError) {
        var errors: [FieldError] = []
        let top = Self.number(args.members["$top"], default: 25, field: "$top", message: Self.topMessage, into: &errors)
        let skip = Self.number(args.members["$skip"], default: 0, field: "$skip", message: Self.skipMessage, into: &errors)
        var count = false
        switch args.members["$count"] {
        case nil, .null?: break
        case .bool(let value)?: count = value
        case .string(let text)? where ["true", "1"].contains(text.lowercased()): count = true
        case .string(let text)? where ["false", "0"].contains(text.lowercased()): count = false
        case .int(let value)? where value == 0 || value == 1: count = value == 1
        default: errors.append(FieldError(field: "$count", message: Self.countMessage))
        }
        if !errors.isEmpty { throw AdminErrors.validation(errors, what: "query") }
        page = PageRequest(top: min(top, Self.maximumTop), skip: skip)
        self.count = count
    }

    private static func number(
        _ raw: JSONValue?, default fallback: Int, field: String, message: String, into errors: inout [FieldError]
    ) -> Int {
        let value: Int?
        switch raw {
        case nil, .null?: return fallback
        case .string(let text)?: value = Int(text)
        case let other?: value = other.intValue
        }
        guard let value, value >= 0, value <= 9_999_999_999 else {
            errors.append(FieldError(field: field, message: message))
            return fallback
        }
        return value
    }

    /// The list result in the peer's shape.
    func result<Item>(_ page: Page<Item>, _ encode: (Item) -> JSONValue) -> JSONValue {
        let items = JSONValue.array(page.items.map(encode))
        return count ? ["data": items, "totalCount": .number(page.totalCount)] : items
    }
}
