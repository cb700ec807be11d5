/// One validation failure: the API field name (as in the Open AMT JSON) and a user-facing message.
public struct FieldError: Sendable, Equatable, CustomStringConvertible {
    public var field: String
    public var message: String

    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }

    public var description: String { "\(field): \(message)" }
}
