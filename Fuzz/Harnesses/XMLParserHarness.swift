import WSMan

/// The XML parser fuzz harness (`Fuzz/XMLParserFuzz`, and the suite's smoke test): byte 0 picks
/// default or tight limits, the rest is the document. A parse either throws `XMLParseError` or
/// yields a tree within the limits; anything else (a trap, a limit exceeded) is a finding.
public enum XMLParserHarness {
    /// Parses one input and checks the invariants (traps on a violation).
    public static func run(_ input: UnsafeBufferPointer<UInt8>) {
        guard let control = input.first else { return }
        let limits = control & 1 == 0
            ? XMLParserLimits.default
            : XMLParserLimits(maxDocumentBytes: 512, maxDepth: 4, maxElements: 16, maxAttributesPerElement: 3)
        let document = Array(input.dropFirst())
        guard let root = try? XMLTreeParser.parse(document, limits: limits) else { return }
        var elements = 0
        let depth = measure(root, depth: 1, elements: &elements, limits: limits)
        precondition(depth <= limits.maxDepth, "depth \(depth) over the limit \(limits.maxDepth)")
        precondition(elements <= limits.maxElements, "\(elements) elements over the limit \(limits.maxElements)")
    }

    /// Nesting depth of `node`, counting elements and checking attribute counts on the way.
    private static func measure(_ node: XMLElementNode, depth: Int, elements: inout Int, limits: XMLParserLimits) -> Int {
        elements += 1
        precondition(node.attributes.count <= limits.maxAttributesPerElement, "attribute limit exceeded")
        precondition(!node.localName.isEmpty, "element without a name")
        var deepest = depth
        for child in node.children {
            deepest = max(deepest, measure(child, depth: depth + 1, elements: &elements, limits: limits))
        }
        return deepest
    }
}
