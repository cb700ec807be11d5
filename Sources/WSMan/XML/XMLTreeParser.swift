/// A small, bounded, non-validating XML parser that builds an ``XMLElementNode`` tree.
///
/// Supports elements, attributes, namespaces (prefix resolution), character data, the five
/// predefined entities, numeric character references, CDATA sections, comments and
/// processing instructions. DOCTYPE is refused. Nesting is handled with an explicit stack,
/// so hostile input cannot overflow the call stack. Pure and thread-safe (no shared state).
public enum XMLTreeParser {
    /// Parses a UTF-8 document and returns its root element.
    /// - Throws: ``XMLParseError`` for malformed, truncated or oversized input.
    public static func parse(_ bytes: [UInt8], limits: XMLParserLimits = .default) throws -> XMLElementNode {
        guard bytes.count <= limits.maxDocumentBytes else {
            throw XMLParseError.documentTooLarge(limit: limits.maxDocumentBytes)
        }
        var scanner = Scanner(bytes: bytes, limits: limits)
        return try scanner.parseDocument()
    }

    /// Parses a document given as a string.
    public static func parse(_ string: String, limits: XMLParserLimits = .default) throws -> XMLElementNode {
        try parse(Array(string.utf8), limits: limits)
    }
}

/// An element whose end tag has not been read yet.
private struct PendingElement {
    var prefix: String?
    var localName: String
    /// The qualified name's bytes in the input (compared with the end tag's).
    var name: Range<Int>
    var attributes: [XMLAttribute]
    /// Whether it declares namespaces (and so has an entry in `Scanner.scopes`).
    var declaresNamespaces: Bool
    /// Where its children begin in `Scanner.finished` (they are gathered there, each element's
    /// array is then made once at its exact size instead of grown one append at a time).
    var firstChild: Int
    /// Character data: a single run of the input is kept as a range (the usual case, no copy);
    /// several runs or decoded references are gathered in `textBuffer`.
    var textRun: Range<Int>?
    var textBuffer: [UInt8]?
}

private struct Scanner {
    let bytes: [UInt8]
    let limits: XMLParserLimits
    var pos = 0
    var stack: [PendingElement] = []
    /// The closed children of the open elements, outermost element's first.
    var finished: [XMLElementNode] = []
    /// The namespace declarations of the open elements that have any, innermost last (at most
    /// one entry per open element, so resolving a prefix is bounded by the depth limit).
    var scopes: [[String: String]] = []
    var elementCount = 0

    init(bytes: [UInt8], limits: XMLParserLimits) {
        self.bytes = bytes
        self.limits = limits
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { pos = 3 }
    }

    // MARK: document structure

    mutating func parseDocument() throws -> XMLElementNode {
        try skipMisc()
        guard pos < bytes.count else { throw XMLParseError.truncated }
        guard bytes[pos] == UInt8(ascii: "<") else { throw malformed("expected the root element") }
        var root: XMLElementNode?
        try parseStartTag(completed: &root)
        while root == nil {
            guard pos < bytes.count else { throw XMLParseError.truncated }
            if bytes[pos] == UInt8(ascii: "<") {
                if hasPrefix("</") {
                    root = try parseEndTag()
                } else if hasPrefix("<!--") {
                    try skipComment()
                } else if hasPrefix("<![CDATA[") {
                    try readCDATA()
                } else if hasPrefix("<?") {
                    try skipProcessingInstruction()
                } else if hasPrefix("<!") {
                    throw malformed("unexpected markup declaration inside an element")
                } else {
                    try parseStartTag(completed: &root)
                }
            } else {
                try readText()
            }
        }
        try skipMisc()
        guard pos == bytes.count else { throw malformed("content after the root element") }
        return root!
    }

    /// Skips whitespace, comments and processing instructions (prolog/epilog).
    mutating func skipMisc() throws {
        while pos < bytes.count {
            let b = bytes[pos]
            if isWhitespace(b) {
                pos += 1
            } else if hasPrefix("<?") {
                try skipProcessingInstruction()
            } else if hasPrefix("<!--") {
                try skipComment()
            } else if hasPrefix("<!DOCTYPE") || hasPrefix("<!doctype") {
                throw XMLParseError.doctypeNotAllowed
            } else {
                return
            }
        }
    }

    // MARK: tags

    /// Parses `<name attr="v" ...>` or `<name/>`. A self-closing root sets `completed`.
    mutating func parseStartTag(completed: inout XMLElementNode?) throws {
        pos += 1  // "<"
        let name = try readName()
        var rawAttributes: [(name: Range<Int>, value: String)] = []
        var selfClosing = false
        while true {
            let sawSpace = skipWhitespace()
            guard pos < bytes.count else { throw XMLParseError.truncated }
            let b = bytes[pos]
            if b == UInt8(ascii: ">") { pos += 1; break }
            if b == UInt8(ascii: "/") {
                guard pos + 1 < bytes.count else { throw XMLParseError.truncated }
                guard bytes[pos + 1] == UInt8(ascii: ">") else { throw malformed("expected '>' after '/'") }
                pos += 2
                selfClosing = true
                break
            }
            guard sawSpace else { throw malformed("expected whitespace before an attribute") }
            let attributeName = try readName()
            skipWhitespace()
            guard pos < bytes.count else { throw XMLParseError.truncated }
            guard bytes[pos] == UInt8(ascii: "=") else { throw malformed("expected '=' after attribute name") }
            pos += 1
            skipWhitespace()
            let value = try readAttributeValue()
            if rawAttributes.contains(where: { bytes[$0.name].elementsEqual(bytes[attributeName]) }) {
                throw malformed("duplicate attribute")
            }
            rawAttributes.append((attributeName, value))
            if rawAttributes.count > limits.maxAttributesPerElement {
                throw malformed("more than \(limits.maxAttributesPerElement) attributes on one element")
            }
        }

        elementCount += 1
        guard elementCount <= limits.maxElements else { throw XMLParseError.tooManyElements(limit: limits.maxElements) }
        guard stack.count < limits.maxDepth else { throw XMLParseError.tooDeep(limit: limits.maxDepth) }

        var namespaces: [String: String] = [:]
        var attributes: [XMLAttribute] = []
        attributes.reserveCapacity(rawAttributes.count)
        for (attributeName, value) in rawAttributes {
            let (prefix, local) = try split(attributeName)
            if prefix == nil && local == "xmlns" {
                namespaces[""] = value
            } else if prefix == "xmlns" {
                namespaces[local] = value
            }
            attributes.append(XMLAttribute(prefix: prefix, localName: local, value: value))
        }
        let (prefix, local) = try split(name)
        let declares = !namespaces.isEmpty
        if declares { scopes.append(namespaces) }
        stack.append(PendingElement(
            prefix: prefix, localName: local, name: name, attributes: attributes, declaresNamespaces: declares,
            firstChild: finished.count))
        if selfClosing {
            completed = try closeTop()
        }
    }

    /// Parses `</name>`; returns the root when it closes the document element.
    mutating func parseEndTag() throws -> XMLElementNode? {
        pos += 2
        let name = try readName()
        skipWhitespace()
        guard pos < bytes.count else { throw XMLParseError.truncated }
        guard bytes[pos] == UInt8(ascii: ">") else { throw malformed("expected '>' to end the closing tag") }
        pos += 1
        guard let open = stack.last?.name else { throw malformed("closing tag without an open element") }
        guard bytes[open].elementsEqual(bytes[name]) else {
            throw malformed("closing tag </\(String(decoding: bytes[name], as: UTF8.self))> does not match <\(String(decoding: bytes[open], as: UTF8.self))>")
        }
        return try closeTop()
    }

    /// Pops the innermost element, attaches it to its parent, returns it if it was the root.
    mutating func closeTop() throws -> XMLElementNode? {
        let top = stack.removeLast()
        let text: String
        if let buffer = top.textBuffer {
            guard let decoded = validatedString(buffer[...]) else { throw XMLParseError.invalidUTF8 }
            text = decoded
        } else if let run = top.textRun {
            guard let decoded = validatedString(bytes[run]) else { throw XMLParseError.invalidUTF8 }
            text = decoded
        } else {
            text = ""
        }
        let namespaceURI = resolve(prefix: top.prefix ?? "")
        if top.declaresNamespaces { scopes.removeLast() }
        let children = top.firstChild < finished.count ? Array(finished[top.firstChild...]) : []
        finished.removeSubrange(top.firstChild...)
        let node = XMLElementNode(
            prefix: top.prefix, localName: top.localName, namespaceURI: namespaceURI,
            attributes: top.attributes, children: children, text: text
        )
        if stack.isEmpty { return node }
        finished.append(node)
        return nil
    }

    /// The URI `prefix` is bound to in the innermost open element that binds it.
    func resolve(prefix: String) -> String? {
        var index = scopes.count
        while index > 0 {
            index -= 1
            if let uri = scopes[index][prefix] { return uri.isEmpty ? nil : uri }
        }
        if prefix == "xml" { return "http://www.w3.org/XML/1998/namespace" }
        return nil
    }

    /// Adds `range` of the input to the innermost element's character data.
    mutating func appendText(_ range: Range<Int>) {
        guard !range.isEmpty else { return }
        let top = stack.count - 1
        if stack[top].textBuffer != nil {
            stack[top].textBuffer!.append(contentsOf: bytes[range])
        } else if let run = stack[top].textRun {
            var buffer = Array(bytes[run])
            buffer.append(contentsOf: bytes[range])
            stack[top].textBuffer = buffer
            stack[top].textRun = nil
        } else {
            stack[top].textRun = range
        }
    }

    /// Adds decoded bytes (a reference) to the innermost element's character data.
    mutating func appendText(decoded: [UInt8]) {
        let top = stack.count - 1
        if stack[top].textBuffer == nil {
            stack[top].textBuffer = stack[top].textRun.map { Array(bytes[$0]) } ?? []
            stack[top].textRun = nil
        }
        stack[top].textBuffer!.append(contentsOf: decoded)
    }

    // MARK: content

    mutating func readText() throws {
        while pos < bytes.count {
            let b = bytes[pos]
            if b == UInt8(ascii: "<") { return }
            if b == UInt8(ascii: "&") {
                appendText(decoded: try readReference())
            } else {
                // A run of plain bytes is appended at once (not byte by byte into the stack).
                let start = pos
                while pos < bytes.count && bytes[pos] != UInt8(ascii: "<") && bytes[pos] != UInt8(ascii: "&") { pos += 1 }
                appendText(start..<pos)
            }
        }
        throw XMLParseError.truncated
    }

    mutating func readCDATA() throws {
        pos += 9  // "<![CDATA["
        guard let end = find("]]>") else { throw XMLParseError.truncated }
        appendText(pos..<end)
        pos = end + 3
    }

    mutating func skipComment() throws {
        pos += 4
        guard let end = find("-->") else { throw XMLParseError.truncated }
        pos = end + 3
    }

    mutating func skipProcessingInstruction() throws {
        pos += 2
        guard let end = find("?>") else { throw XMLParseError.truncated }
        pos = end + 2
    }

    mutating func readAttributeValue() throws -> String {
        guard pos < bytes.count else { throw XMLParseError.truncated }
        let quote = bytes[pos]
        guard quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") else {
            throw malformed("attribute value must be quoted")
        }
        pos += 1
        // Fast path: no reference, so the value is a range of the input.
        let start = pos
        while pos < bytes.count {
            let b = bytes[pos]
            if b == quote {
                pos += 1
                guard let string = validatedString(bytes[start..<(pos - 1)]) else { throw XMLParseError.invalidUTF8 }
                return string
            }
            if b == UInt8(ascii: "<") { throw malformed("'<' inside an attribute value") }
            if b == UInt8(ascii: "&") { break }
            pos += 1
        }
        var value = Array(bytes[start..<pos])
        while pos < bytes.count {
            let b = bytes[pos]
            if b == quote {
                pos += 1
                guard let string = validatedString(value[...]) else { throw XMLParseError.invalidUTF8 }
                return string
            }
            if b == UInt8(ascii: "<") { throw malformed("'<' inside an attribute value") }
            if b == UInt8(ascii: "&") {
                value.append(contentsOf: try readReference())
            } else {
                value.append(b)
                pos += 1
            }
        }
        throw XMLParseError.truncated
    }

    /// Decodes `&name;` or `&#N;` / `&#xH;` at `pos` into UTF-8 bytes.
    mutating func readReference() throws -> [UInt8] {
        let start = pos
        pos += 1
        var name: [UInt8] = []
        while pos < bytes.count, bytes[pos] != UInt8(ascii: ";") {
            name.append(bytes[pos])
            pos += 1
            if name.count > 12 { pos = start; throw malformed("unterminated entity reference") }
        }
        guard pos < bytes.count else { throw XMLParseError.truncated }
        pos += 1  // ";"
        switch String(decoding: name, as: UTF8.self) {
        case "lt": return [UInt8(ascii: "<")]
        case "gt": return [UInt8(ascii: ">")]
        case "amp": return [UInt8(ascii: "&")]
        case "quot": return [UInt8(ascii: "\"")]
        case "apos": return [UInt8(ascii: "'")]
        default:
            guard name.first == UInt8(ascii: "#") else { throw malformed("unknown entity reference") }
            var digits = String(decoding: name.dropFirst(), as: UTF8.self)
            var radix = 10
            if digits.hasPrefix("x") { digits.removeFirst(); radix = 16 }
            guard !digits.isEmpty, let code = UInt32(digits, radix: radix),
                  let scalar = Unicode.Scalar(code), code != 0
            else { throw malformed("invalid character reference") }
            return Array(String(Character(scalar)).utf8)
        }
    }

    // MARK: lexical helpers

    /// The name at `pos`, as a range of the input.
    mutating func readName() throws -> Range<Int> {
        let start = pos
        while pos < bytes.count {
            let b = bytes[pos]
            if isWhitespace(b) || b == UInt8(ascii: "/") || b == UInt8(ascii: ">") || b == UInt8(ascii: "=")
                || b == UInt8(ascii: "<") || b == UInt8(ascii: "\"") || b == UInt8(ascii: "'") {
                break
            }
            pos += 1
        }
        if pos == bytes.count { throw XMLParseError.truncated }
        guard pos > start else { throw malformed("expected a name") }
        guard pos - start <= 512 else { throw malformed("name longer than 512 bytes") }
        let first = bytes[start]
        if first == UInt8(ascii: "-") || first == UInt8(ascii: ".") || (first >= 0x30 && first <= 0x39) {
            throw malformed("invalid name start character")
        }
        return start..<pos
    }

    /// The prefix and local name of the name at `range`, each validated as UTF-8 once.
    func split(_ range: Range<Int>) throws -> (String?, String) {
        let name = bytes[range]
        // Split on the bytes (':' is ASCII, so never inside a multi-byte character).
        guard let colon = name.firstIndex(of: UInt8(ascii: ":")) else {
            guard let string = validatedString(name) else { throw XMLParseError.invalidUTF8 }
            return (nil, string)
        }
        guard colon > range.lowerBound, colon < range.upperBound - 1, !name[(colon + 1)...].contains(UInt8(ascii: ":")) else {
            guard validatedString(name) != nil else { throw XMLParseError.invalidUTF8 }
            throw malformed("invalid qualified name '\(String(decoding: name, as: UTF8.self))'")
        }
        // Both halves are valid exactly when the whole name is (the split is at an ASCII byte).
        guard let prefix = validatedString(name[..<colon]),
              let local = validatedString(name[(colon + 1)...])
        else { throw XMLParseError.invalidUTF8 }
        return (prefix, local)
    }

    @discardableResult
    mutating func skipWhitespace() -> Bool {
        let start = pos
        while pos < bytes.count, isWhitespace(bytes[pos]) { pos += 1 }
        return pos > start
    }

    func isWhitespace(_ b: UInt8) -> Bool {
        b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D
    }

    func hasPrefix(_ literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard pos + count <= bytes.count else {
            // A partial match at the end of input still means "this construct, truncated".
            let available = bytes.count - pos
            return available > 0 && literal.withUTF8Buffer { lit in
                (0..<available).allSatisfy { bytes[pos + $0] == lit[$0] }
            } && available >= 2
        }
        return literal.withUTF8Buffer { lit in
            (0..<count).allSatisfy { bytes[pos + $0] == lit[$0] }
        }
    }

    func find(_ literal: StaticString) -> Int? {
        literal.withUTF8Buffer { lit -> Int? in
            let n = lit.count
            guard bytes.count >= n else { return nil }
            var i = pos
            while i + n <= bytes.count {
                if bytes[i] == lit[0] && (1..<n).allSatisfy({ bytes[i + $0] == lit[$0] }) { return i }
                i += 1
            }
            return nil
        }
    }

    func malformed(_ reason: String) -> XMLParseError {
        .malformed(offset: pos, reason: reason)
    }
}

/// `bytes` as a `String`, or nil when they are not valid UTF-8. ASCII (names, and most text of
/// WS-Man replies) is checked inline and converted directly; other bytes go through the
/// standard validator (generic over the encoding, so markedly slower per call).
private func validatedString(_ bytes: ArraySlice<UInt8>) -> String? {
    if bytes.allSatisfy({ $0 < 0x80 }) { return String(decoding: bytes, as: UTF8.self) }
    return String(validating: bytes, as: UTF8.self)
}
