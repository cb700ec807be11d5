import Foundation
import Testing
import TetherJSON

/// The byte writer: compact, sorted, escaped, and round-tripping through the parser.
@Suite("JSON writer")
struct JSONWriterTests {
    @Test("compact output with sorted keys")
    func compact() {
        let value: JSONValue = ["b": [1, 2, ["z": nil, "a": true]], "a": "x/y", "c": 1.5, "d": -42, "e": 2.0]
        #expect(value.jsonString == #"{"a":"x/y","b":[1,2,{"a":true,"z":null}],"c":1.5,"d":-42,"e":2}"#)
        #expect(JSONValue.int(.min).jsonString == "-9223372036854775808")
        #expect(JSONValue.int(.max).jsonString == "9223372036854775807")
        #expect(JSONValue.int(0).jsonString == "0")
        #expect(JSONValue.double(.nan).jsonString == "null")
        #expect(JSONValue.array([.double(.infinity)]).jsonString == "[null]")
        #expect(JSONValue.double(1e300).jsonString == "1e+300")
        #expect(JSONValue.double(0.1).jsonString == "0.1")
    }

    @Test("strings are escaped where JSON requires it, and only there")
    func escaping() {
        let text = "q\"b\\s/n\nr\rt\tb\u{8}f\u{c}z\u{0}u\u{1f}é😀"
        #expect(JSONValue.string(text).jsonString == #""q\"b\\s/n\nr\rt\tb\bf\fz\u0000u\u001fé😀""#)
    }

    @Test("output parses back to the same value")
    func roundTrip() throws {
        let value: JSONValue = [
            "ints": [0, -1, .int(.max), .int(.min)], "doubles": [0.5, -1e-7, 1.2345678901234567e-300, 123456.789],
            "text": ["", "\u{1}\u{7f}", "日本語", "\\\"\\"], "nested": [[[["deep": [nil, false]]]]], "empty": [:],
        ]
        let bytes = value.encodedBytes()
        #expect(try JSONValue(parsing: bytes) == value)
        #expect(try JSONValue(parsing: bytes).encodedBytes() == bytes)
    }

    @Test("Codable conformance still works for JSONValues inside Codable types")
    func codable() throws {
        struct Wrapper: Codable, Equatable { var payload: JSONValue }
        let wrapper = Wrapper(payload: ["a": [1, "b", nil, 2.5, true]])
        let data = try JSONEncoder().encode(wrapper)
        #expect(try JSONDecoder().decode(Wrapper.self, from: data) == wrapper)
    }
}
