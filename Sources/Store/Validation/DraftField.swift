/// One member of a client's JSON body as a validator sees it: absent (or null), of the wrong JSON
/// type, or a value of the expected type.
public enum DraftField<Value: Sendable & Equatable>: Sendable, Equatable {
    case absent
    case wrongType
    case value(Value)

    /// The value, when present and well-typed.
    public var value: Value? {
        if case .value(let value) = self { return value }
        return nil
    }

    public var isAbsent: Bool { self == .absent }
}
