import Store
import TetherJSON

extension AdminArguments {
    /// A member as a validator's `DraftField`: null counts as absent, another JSON type as `.wrongType`.
    func draftString(_ key: String) -> DraftField<String> {
        switch string(key) {
        case .absent, .null: return .absent
        case .value(let text): return .value(text)
        case .wrongType: return .wrongType
        }
    }

    /// Integers (and integral doubles); strings and fractions are `.wrongType`.
    func draftInt(_ key: String) -> DraftField<Int> {
        switch int(key) {
        case .absent, .null: return .absent
        case .value(let number): return .value(number)
        case .wrongType: return .wrongType
        }
    }

    func draftBool(_ key: String) -> DraftField<Bool> {
        switch bool(key) {
        case .absent, .null: return .absent
        case .value(let flag): return .value(flag)
        case .wrongType: return .wrongType
        }
    }

    /// An array of integers; elements that are not integers become nil.
    func draftIntArray(_ key: String) -> DraftField<[Int?]> {
        guard let raw = members[key], !raw.isNull else { return .absent }
        guard let items = raw.arrayValue else { return .wrongType }
        return .value(items.map(\.intValue))
    }
}
