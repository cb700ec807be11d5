/// A typed C command's signature (`tether.c-commands/1`), e.g. `int64 (int64 a, string name)`
/// or `void (string guid, reply)`. Parsed once at load; a plain value. The grammar is in the
/// header (TYPED C COMMANDS).
struct CCommandSignature: Sendable, Equatable {
    enum ValueType: String, Sendable, CaseIterable {
        case bool, int32, uint32, int64, uint64, double, string, json
    }

    enum ReturnType: String, Sendable, CaseIterable {
        case void, bool, int32, uint32, int64, uint64, double, string

        /// The C type returned, as a parameter type (nil for `void`).
        var valueType: ValueType? { ValueType(rawValue: rawValue) }
    }

    struct Parameter: Sendable, Equatable {
        var type: ValueType
        var name: String
    }

    var returns: ReturnType
    var parameters: [Parameter]
    /// The last C parameter is a `tether_reply *` and the answer comes later.
    var isAsynchronous: Bool

    /// Why a signature cannot be used (the reason shown for the refused command).
    struct Problem: Error, Sendable, CustomStringConvertible {
        var description: String
    }

    init(parsing raw: String) throws(Problem) {
        guard raw.utf8.count <= 512 else { throw Problem(description: "the signature is longer than 512 bytes") }
        let text = raw.trimmingCharacters(in: " ")
        guard let open = text.firstIndex(of: "("), text.hasSuffix(")") else {
            throw Problem(description: "expected '<return type> (<type> <name>, …)'")
        }
        let head = text[..<open].trimmingCharacters(in: " ")
        guard let returns = ReturnType(rawValue: head) else {
            throw Problem(description: "unknown return type '\(head)' (one of: \(ReturnType.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        let body = text[text.index(after: open)..<text.index(before: text.endIndex)]
        var parameters: [Parameter] = []
        var asynchronous = false
        let items = body.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: " ") }
        for (index, item) in items.enumerated() where !(items.count == 1 && item.isEmpty) {
            if item == "reply" {
                guard index == items.count - 1 else { throw Problem(description: "'reply' must be the last parameter") }
                guard returns == .void else { throw Problem(description: "an asynchronous command (with 'reply') returns void") }
                asynchronous = true
                continue
            }
            let words = item.split(separator: " ").map(String.init)
            guard words.count == 2 else { throw Problem(description: "parameter \(index + 1) '\(item)' is not '<type> <name>'") }
            guard let type = ValueType(rawValue: words[0]) else {
                throw Problem(description: "unknown type '\(words[0])' of parameter '\(words[1])' (one of: \(ValueType.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            guard words[1].utf8.allSatisfy({ $0 == 0x5F || ($0 >= 0x30 && $0 <= 0x39) || ($0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x7A) }) else {
                throw Problem(description: "parameter name '\(words[1])' is not an identifier")
            }
            guard !parameters.contains(where: { $0.name == words[1] }) else {
                throw Problem(description: "parameter '\(words[1])' appears twice")
            }
            parameters.append(Parameter(type: type, name: words[1]))
        }
        guard parameters.count <= 16 else { throw Problem(description: "more than 16 parameters") }
        self.returns = returns
        self.parameters = parameters
        self.isAsynchronous = asynchronous
    }
}

extension StringProtocol {
    fileprivate func trimmingCharacters(in character: Character) -> String {
        var slice = Substring(self)
        while slice.first == character { slice = slice.dropFirst() }
        while slice.last == character { slice = slice.dropLast() }
        return String(slice)
    }

}
