import Testing
@testable import WSMan

/// An instance's properties from its element: document order, repeated names gathered into a
/// list at the first one's place, nested elements as objects — the same whether the instance is
/// short (names found by scanning) or long (found through a dictionary).
@Suite struct WSManInstanceParsingTests {
    @Test(arguments: [3, WSManInstance.scannedProperties, WSManInstance.scannedProperties + 1, 40])
    func repeatedNamesBecomeListsInDocumentOrder(_ singles: Int) throws {
        var body = "<h:C xmlns:h=\"urn:c\"><h:Rep>a</h:Rep>"
        for i in 0..<singles { body += "<h:P\(i)>\(i)</h:P\(i)>" }
        body += "<h:Rep>b</h:Rep><h:Ref><h:Address>x</h:Address><h:Sel>1</h:Sel><h:Sel>2</h:Sel></h:Ref><h:Rep>c</h:Rep></h:C>"
        let instance = WSManInstance(element: try XMLTreeParser.parse(Array(body.utf8)))
        #expect(instance.className == "C")
        #expect(instance.properties.map(\.name) == ["Rep"] + (0..<singles).map { "P\($0)" } + ["Ref"])
        #expect(instance.strings("Rep") == ["a", "b", "c"])
        #expect(instance.int("P0") == 0)
        #expect(instance.int("P\(singles - 1)") == singles - 1)
        let reference = try #require(instance["Ref"]?.object)
        #expect(reference.string("Address") == "x")
        #expect(reference.strings("Sel") == ["1", "2"])
    }

    /// Children are attached to the right parent at every depth, siblings in order.
    @Test func nestedChildrenKeepTheirParentsAndOrder() throws {
        let xml = "<r><a><b>1</b><c><d>2</d><e/></c></a><f>3</f><g><h/><i><j>4</j></i></g></r>"
        let root = try XMLTreeParser.parse(Array(xml.utf8))
        func shape(_ node: XMLElementNode) -> String {
            node.children.isEmpty ? node.localName + (node.text.isEmpty ? "" : "=" + node.text)
                : node.localName + "(" + node.children.map(shape).joined(separator: ",") + ")"
        }
        #expect(shape(root) == "r(a(b=1,c(d=2,e)),f=3,g(h,i(j=4)))")
    }
}
