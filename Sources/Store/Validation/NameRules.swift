/// Name rules for configs, profiles and domains.
///
/// RPS's regexes (`^[a-zA-Z0-9@!%*#&-_~^]+$`, `^[a-zA-Z0-9$@$!%*#?&-_~^]+$`) contain `&-_`, which
/// JavaScript reads as the *range* `&`…`_` and so also admits `' ( ) + , - . / : ; < = > ? [ \ ]`.
/// That is a bug; here `-` is a literal and only the listed special characters are accepted.
/// Names are also capped at 64 characters (RPS has no cap; names end up in URLs and logs).
public enum NameRules {
    public static let maximumLength = 64
    /// Special characters allowed in CIRA config names (besides ASCII letters and digits).
    public static let ciraConfigNameSpecials: Set<Character> = ["@", "!", "%", "*", "#", "&", "-", "_", "~", "^"]
    /// Special characters allowed in profile and domain names.
    public static let profileNameSpecials: Set<Character> = ["$", "@", "!", "%", "*", "#", "?", "&", "-", "_", "~", "^"]

    /// True if `name` is non-empty and uses only ASCII letters, digits and `specials`.
    public static func hasValidCharacters(_ name: String, specials: Set<Character>) -> Bool {
        !name.isEmpty && name.allSatisfy { ($0.isASCII && ($0.isLetter || $0.isNumber)) || specials.contains($0) }
    }

    /// RPS's rule for Wi-Fi and 802.1x profile names (`^[a-zA-Z0-9]+$`, at most 32): the errors,
    /// in RPS's order, with `noun` ("Wireless profile", "802.1x profile") in the messages.
    public static func alphanumericNameErrors(_ name: String, noun: String) -> [FieldError] {
        var errors: [FieldError] = []
        if name.isEmpty { errors.append(FieldError(field: "profileName", message: "\(noun) name is required")) }
        if name.isEmpty || !name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) {
            errors.append(FieldError(field: "profileName", message: "\(noun) name should be alphanumeric"))
        }
        if name.count > 32 { errors.append(FieldError(field: "profileName", message: "\(noun) name maximum length is 32")) }
        return errors
    }
}
