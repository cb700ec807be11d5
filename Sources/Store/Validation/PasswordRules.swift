import COpenSSL

/// AMT password rules (shared/reference/rps.md §2.3 item 3, §6.13).
public enum PasswordRules {
    /// Special characters of which a strong password needs at least one (RPS's lookahead `[!@#$%^&*]`).
    public static let requiredSpecials: Set<Character> = ["!", "@", "#", "$", "%", "^", "&", "*"]
    /// Every special character a strong password may contain. RPS's character class
    /// `[a-zA-Z0-9$@$!%*#?&-_~^]` reads `&-_` as a range (admitting `' ( ) + , . / : ; < = > [ \ ]` and
    /// more); that is treated as a bug, so `-` is a literal here.
    public static let allowedSpecials: Set<Character> = ["$", "@", "!", "%", "*", "#", "?", "&", "-", "_", "~", "^"]
    /// Characters `generate()` draws from: letters, digits and `!@#$%^*` — only characters that
    /// satisfy `isStrongAMTPassword`, and no `&` (it needs escaping in WS-Man XML). RPS's generator
    /// also draws `(` and `)`, which its own strength rule rejects.
    static let generatorAlphabet: [Character] =
        Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!@#$%^*")

    /// The message RPS gives for a weak AMT password.
    public static let weakAMTPasswordMessage =
        "AMT password is required field should contains at least one lowercase letter, one uppercase letter, one numeric digit,and one special character and password length should be in between 8 to 32."
    /// The message RPS gives for a weak MEBx password.
    public static let weakMEBxPasswordMessage =
        "MEBx password is required field should contains at least one lowercase letter, one uppercase letter, one numeric digit,and one special character and password length should be in between 8 to 32."

    /// True if `password` is 8–32 characters of letters, digits and `allowedSpecials`, with at least
    /// one digit, one lower-case and one upper-case letter, and one of `requiredSpecials`.
    /// The same rule applies to MEBx passwords.
    public static func isStrongAMTPassword(_ password: String) -> Bool {
        guard (8...32).contains(password.count) else { return false }
        var digit = false, lower = false, upper = false, special = false
        for c in password {
            guard c.isASCII else { return false }
            if c.isNumber { digit = true } else if c.isLowercase { lower = true } else if c.isUppercase { upper = true } else if allowedSpecials.contains(c) {
                if requiredSpecials.contains(c) { special = true }
            } else {
                return false
            }
        }
        return digit && lower && upper && special
    }

    /// Errors from `generate(length:)`.
    public enum GenerationError: Error, Sendable, Equatable, CustomStringConvertible {
        case invalidLength(Int)
        case randomSourceFailed

        public var description: String {
            switch self {
            case let .invalidLength(length): return "Generated passwords must be 8 to 32 characters long, not \(length)"
            case .randomSourceFailed: return "The system random number generator failed"
            }
        }
    }

    /// A random password (OpenSSL `RAND_bytes`, unbiased) that satisfies `isStrongAMTPassword`.
    /// Default length 16, as RPS uses for AMT, MEBx and MPS passwords (16 is also AMT's MPS limit).
    public static func generate(length: Int = 16) throws(GenerationError) -> String {
        guard (8...32).contains(length) else { throw .invalidLength(length) }
        let alphabet = generatorAlphabet
        // Largest multiple of the alphabet size below 256, for rejection sampling.
        let limit = 256 - (256 % alphabet.count)
        for _ in 0..<1000 {
            var result: [Character] = []
            result.reserveCapacity(length)
            while result.count < length {
                var bytes = [UInt8](repeating: 0, count: 64)
                guard RAND_bytes(&bytes, Int32(bytes.count)) == 1 else { throw .randomSourceFailed }
                for byte in bytes where Int(byte) < limit && result.count < length {
                    result.append(alphabet[Int(byte) % alphabet.count])
                }
            }
            let candidate = String(result)
            if isStrongAMTPassword(candidate) { return candidate }
        }
        throw .randomSourceFailed
    }
}
