import Foundation
import Testing
@testable import Store

@Suite struct PasswordRulesTests {
    @Test func strengthRule() {
        for good in ["Intel123!", "P@ssw0rd", "Aa1&aaaa", "Aa1*" + String(repeating: "x", count: 28)] {
            #expect(PasswordRules.isStrongAMTPassword(good), "\(good)")
        }
        for bad in [
            "Intel123",  // no special
            "intel123!",  // no upper
            "INTEL123!",  // no lower
            "Intelabc!",  // no digit
            "In1!",  // too short
            "Aa1!" + String(repeating: "x", count: 29),  // 33 > 32
            "Intel 123!",  // space
            "Intel123?",  // '?' is allowed but not one of the required specials
            "Intel123!.",  // '.' only passes RPS through its `&-_` range bug
            "Intél123!",  // non-ASCII
        ] {
            #expect(!PasswordRules.isStrongAMTPassword(bad), "\(bad)")
        }
    }

    @Test func generatedPasswordsAreStrongAndDistinct() throws {
        var seen = Set<String>()
        for _ in 0..<200 {
            let password = try PasswordRules.generate()
            #expect(password.count == 16)
            #expect(PasswordRules.isStrongAMTPassword(password))
            #expect(!password.contains("&"))
            seen.insert(password)
        }
        #expect(seen.count == 200)
        #expect(try PasswordRules.generate(length: 8).count == 8)
        #expect(try PasswordRules.generate(length: 32).count == 32)
        #expect(throws: PasswordRules.GenerationError.invalidLength(7)) { try PasswordRules.generate(length: 7) }
        #expect(throws: PasswordRules.GenerationError.invalidLength(33)) { try PasswordRules.generate(length: 33) }
    }
}
