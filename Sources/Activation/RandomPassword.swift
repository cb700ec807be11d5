/// Random AMT, MEBx and MPS passwords as RPS makes them (shared/reference/rps.md §6.13): 16 characters from
/// letters, digits and `!@#$%^*()`, with at least one upper-case letter, lower-case letter,
/// digit and one of `$@!%*#?` (AMT's strength rule). Uses the system CSPRNG.
public enum RandomPassword {
    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz1234567890!@#$%^*()")
    static let specials = Set("$@!%*#?")

    /// A new password of `length` (at least 8) characters.
    public static func make(length: Int = 16) -> String {
        var generator = SystemRandomNumberGenerator()
        let length = max(8, length)
        while true {
            let candidate = String((0..<length).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] })
            if isStrong(candidate) { return candidate }
        }
    }

    /// AMT's rule: an upper-case letter, a lower-case letter, a digit and a special character.
    public static func isStrong(_ password: String) -> Bool {
        password.contains(where: \.isUppercase) && password.contains(where: \.isLowercase)
            && password.contains(where: \.isNumber) && password.contains(where: { specials.contains($0) })
    }
}
