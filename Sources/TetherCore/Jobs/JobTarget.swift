import PluginHost
import Store
import TetherJSON

/// Which devices a fleet job acts on: an explicit GUID list, or the tenant's devices carrying
/// tags (`AND`: all of them, `OR`: any). At most ``maxDevices`` devices.
struct JobTarget: Sendable, Equatable {
    enum Selection: Sendable, Equatable {
        case guids([String])
        case tags([String], DeviceFilter.TagMatch)
    }

    var selection: Selection
    var tenantId: String

    /// The largest fleet one job may target (a larger selection is refused, nothing is started).
    static let maxDevices = 10_000

    /// Parses `{"guids":[…]}` or `{"tags":[…],"method":"AND"|"OR"}`.
    init(json: JSONValue?, tenantId: String) throws(CommandError) {
        self.tenantId = tenantId
        guard let json, json.objectValue != nil else {
            throw JobErrors.field("target", "must be an object: {\"guids\":[…]} or {\"tags\":[…],\"method\":\"AND\"|\"OR\"}")
        }
        switch (json["guids"], json["tags"]) {
        case (.some(let guids), nil):
            guard let items = guids.arrayValue, items.allSatisfy({ $0.stringValue?.isEmpty == false }) else {
                throw JobErrors.field("target.guids", "must be an array of GUID strings")
            }
            guard items.count <= Self.maxDevices else {
                throw JobErrors.field("target.guids", "lists \(items.count) devices; a job targets at most \(Self.maxDevices)")
            }
            var seen = Set<String>()
            let unique = items.compactMap { $0.stringValue?.lowercased() }.filter { seen.insert($0).inserted }
            guard !unique.isEmpty else { throw JobErrors.field("target.guids", "must name at least one device") }
            selection = .guids(unique)
        case (nil, .some(let tags)):
            guard let items = tags.arrayValue, !items.isEmpty, items.count <= 64,
                items.allSatisfy({ $0.stringValue?.isEmpty == false })
            else {
                throw JobErrors.field("target.tags", "must be an array of 1–64 tag strings")
            }
            let method = json["method"]?.stringValue?.uppercased() ?? "OR"
            guard let match = DeviceFilter.TagMatch(rawValue: method) else {
                throw JobErrors.field("target.method", "must be AND or OR")
            }
            selection = .tags(items.compactMap(\.stringValue), match)
        default:
            throw JobErrors.field("target", "needs exactly one of 'guids' and 'tags'")
        }
    }

    /// The device GUIDs, in a stable order. Tag targets read the store; an empty result or one
    /// past ``maxDevices`` is refused.
    func resolve(store: TetherStore?) async throws(CommandError) -> [String] {
        switch selection {
        case .guids(let guids):
            return guids
        case .tags(let tags, let match):
            guard let store else { throw CommandError(.unavailable, "the store is not open") }
            var guids: [String] = []
            do {
                while true {
                    let page = try await store.devices.list(
                        tenantId: tenantId, filter: DeviceFilter(tags: tags, tagMatch: match),
                        page: PageRequest(top: 1000, skip: guids.count))
                    guids += page.items.map(\.guid)
                    guard page.totalCount <= Self.maxDevices else {
                        throw JobErrors.field("target.tags", "select \(page.totalCount) devices; a job targets at most \(Self.maxDevices)")
                    }
                    if page.items.isEmpty || guids.count >= page.totalCount { break }
                }
            } catch let error as CommandError {
                throw error
            } catch {
                throw CommandError(.internal, "reading the target devices failed: \(error)")
            }
            guard !guids.isEmpty else {
                throw JobErrors.field("target.tags", "no device of tenant '\(tenantId)' has \(match == .all ? "all" : "any") of the tags \(tags)")
            }
            return guids
        }
    }

    var json: JSONValue {
        switch selection {
        case .guids(let guids): ["guids": .number(guids.count)]
        case .tags(let tags, let match): ["tags": .array(tags.map(JSONValue.string)), "method": .string(match.rawValue)]
        }
    }
}

/// Validation errors of the job commands, in the admin commands' shape (`bad_request`,
/// `detail` = `[{"field","message"}]`).
enum JobErrors {
    static func field(_ field: String, _ message: String) -> CommandError {
        AdminErrors.validation([FieldError(field: field, message: message)], what: "job")
    }
}
