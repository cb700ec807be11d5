import Testing
@testable import WSMan

@Suite struct XMLTreeParserTests {
    @Test func parsesNamespacesTextAndEntities() throws {
        let xml = """
        <?xml version="1.0" encoding="UTF-8"?>
        <!-- lead comment -->
        <a:Root xmlns:a="urn:a" xmlns="urn:default" attr='x &amp; y'>
          <a:Item>1 &lt; 2 &#65;&#x42;</a:Item>
          <Plain><![CDATA[<raw>&]]></Plain>
          <Empty/>
        </a:Root>
        """
        let root = try XMLTreeParser.parse(xml)
        #expect(root.localName == "Root")
        #expect(root.prefix == "a")
        #expect(root.namespaceURI == "urn:a")
        #expect(root.attribute("attr") == "x & y")
        #expect(root.child("Item")?.text == "1 < 2 AB")
        #expect(root.child("Plain")?.namespaceURI == "urn:default")
        #expect(root.child("Plain")?.text == "<raw>&")
        #expect(root.child("Empty")?.children.isEmpty == true)
        #expect(root.children.count == 3)
    }

    @Test func rejectsTruncatedDocumentsAtEveryLength() throws {
        let xml = Array("<a:E xmlns:a=\"urn:x\"><a:B k=\"v\">text &amp; more</a:B><!-- c --><C/></a:E>".utf8)
        _ = try XMLTreeParser.parse(xml)
        for cut in 0..<xml.count {
            #expect(throws: XMLParseError.self) { try XMLTreeParser.parse(Array(xml[0..<cut])) }
        }
    }

    @Test(arguments: [
        "<a><b></a></b>",
        "<a></a><b></b>",
        "<a x=1></a>",
        "<a x=\"1\" x=\"2\"></a>",
        "<a>&bogus;</a>",
        "<a>&#0;</a>",
        "<a:b:c></a:b:c>",
        "text",
        "<a><!DOCTYPE x></a>",
    ])
    func rejectsMalformed(_ xml: String) {
        #expect(throws: XMLParseError.self) { try XMLTreeParser.parse(xml) }
    }

    @Test func rejectsDoctype() {
        #expect(throws: XMLParseError.doctypeNotAllowed) {
            try XMLTreeParser.parse("<!DOCTYPE x [<!ENTITY a \"b\">]><x>&a;</x>")
        }
    }

    @Test func enforcesDepthLimitWithoutRecursion() {
        let deep = String(repeating: "<a>", count: 100_000) + String(repeating: "</a>", count: 100_000)
        #expect(throws: XMLParseError.tooDeep(limit: 64)) { try XMLTreeParser.parse(deep) }
        let ok = String(repeating: "<a>", count: 64) + String(repeating: "</a>", count: 64)
        #expect(throws: Never.self) { try XMLTreeParser.parse(ok) }
    }

    @Test func enforcesSizeAndElementLimits() {
        let limits = XMLParserLimits(maxDocumentBytes: 100, maxElements: 3)
        #expect(throws: XMLParseError.documentTooLarge(limit: 100)) {
            try XMLTreeParser.parse("<a>" + String(repeating: "x", count: 200) + "</a>", limits: limits)
        }
        #expect(throws: XMLParseError.tooManyElements(limit: 3)) {
            try XMLTreeParser.parse("<a><b/><b/><b/></a>", limits: limits)
        }
    }

    @Test func rejectsInvalidUTF8() {
        #expect(throws: XMLParseError.invalidUTF8) {
            try XMLTreeParser.parse([UInt8]("<a>".utf8) + [0xC3, 0x28] + [UInt8]("</a>".utf8))
        }
    }
}
