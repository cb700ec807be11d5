import TetherPluginKit

/// One field error a policy reports: `{"field", "message"}` in the error's `detail` array.
public struct PolicyFieldError: Sendable, Equatable {
    public var field: String
    public var message: String

    public init(_ field: String, _ message: String) {
        self.field = field
        self.message = message
    }

    var json: JSONValue { ["field": .string(field), "message": .string(message)] }
}

/// The rules of one activation mode: check the profile, fill in defaults, collect errors.
public typealias ProfileRules = @Sendable (_ profile: inout ProfileDocument, _ errors: inout [PolicyFieldError]) -> Void

/// Answers `tether.profile-policy/1` requests:
/// `{"op":"profile.validate","operation":"create"|"update","profile":{…}}` → `{"profile": normalized}`,
/// or a `bad_request` error whose `detail` lists the field errors.
public enum ProfilePolicyRequest {
    /// The manifest a policy declares for `modes`.
    public static func manifest(modes: [String]) -> [String: JSONValue] {
        ["tether.profile-policy/1": ["modes": .array(modes.map(JSONValue.string))]]
    }

    public static func handle(_ request: JSONValue, mode: String, rules: ProfileRules) throws -> JSONValue {
        guard request["op"]?.stringValue == "profile.validate" else {
            throw PluginError.unsupported("this profile policy only answers op \"profile.validate\"")
        }
        guard let members = request["profile"]?.objectValue else {
            throw PluginError.badRequest("profile.validate needs {\"profile\": object}")
        }
        guard members["activation"]?.stringValue == mode else {
            throw PluginError.badRequest("this policy governs \(mode) profiles only")
        }
        let operation = request["operation"]?.stringValue == "update" ? ProfileDocument.Operation.update : .create
        var document = ProfileDocument(members: members, operation: operation)
        var errors: [PolicyFieldError] = []
        rules(&document, &errors)
        guard errors.isEmpty else {
            throw PluginError.badRequest(
                errors.map { "\($0.field): \($0.message)" }.joined(separator: "; "), detail: .array(errors.map(\.json)))
        }
        return ["profile": .object(document.members)]
    }
}
