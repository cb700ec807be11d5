/// The AMT/MEBx password strength rule (shared/reference/rps.md §2.3 item 3): 8–32 characters of letters, digits and
/// `$@!%*#?&-_~^`, with at least one digit, one lower-case letter, one upper-case letter and one of
/// `!@#$%^&*`.
public enum PolicyPasswords {
    static let required: Set<Character> = ["!", "@", "#", "$", "%", "^", "&", "*"]
    static let allowed: Set<Character> = ["$", "@", "!", "%", "*", "#", "?", "&", "-", "_", "~", "^"]

    public static let weakMEBxMessage =
        "MEBx password is required field should contains at least one lowercase letter, one uppercase letter, one numeric digit,and one special character and password length should be in between 8 to 32."

    public static func isStrong(_ password: String) -> Bool {
        guard (8...32).contains(password.count) else { return false }
        var digit = false, lower = false, upper = false, special = false
        for character in password {
            guard character.isASCII else { return false }
            if character.isNumber {
                digit = true
            } else if character.isLowercase {
                lower = true
            } else if character.isUppercase {
                upper = true
            } else if allowed.contains(character) {
                special = special || required.contains(character)
            } else {
                return false
            }
        }
        return digit && lower && upper && special
    }
}
