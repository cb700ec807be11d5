import Foundation
import Testing
import TetherJSON

/// The direct encoder gives the value Foundation's `JSONEncoder` plus a parse gives (the path it
/// replaced), for every shape the Codable protocols allow.
@Suite("JSON value encoder")
struct JSONValueEncoderTests {
    private static let strings = JSONValueEncoder.NonFiniteDoubles.strings(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")

    /// `value` through Foundation's encoder and the parser, as the AMT results were encoded.
    private func viaFoundation(_ value: some Encodable) throws -> JSONValue {
        let encoder = JSONEncoder()
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return try JSONValue(parsing: try encoder.encode(value))
    }

    private func direct(_ value: some Encodable) throws -> JSONValue {
        try JSONValueEncoder(nonFiniteDoubles: Self.strings).encode(value)
    }

    struct Member: Codable, Equatable {
        var name: String
        var count: Int
        var ratio: Double
        var tags: [String]
        var note: String?
    }

    struct Record: Codable {
        var id: UInt64
        var small: Int8
        var flags: [Bool]
        var members: [Member]
        var byName: [String: Member]
        var byNumber: [Int: String]
        var optionalMembers: [Member?]
        var missing: Member?
        var float: Float
        var json: JSONValue
        var nested: [[Double]]
        var date: Date
    }

    @Test("structs, arrays, dictionaries, optionals and numbers match Foundation's encoder")
    func matchesFoundation() throws {
        let member = Member(name: "a\"b\\c\n😀", count: -3, ratio: 0.1, tags: ["x", ""], note: nil)
        let record = Record(
            id: .max, small: -128, flags: [true, false],
            members: [member, Member(name: "", count: .max, ratio: 2.0, tags: [], note: "n")],
            byName: ["one": member, "": member], byNumber: [1: "a", -2: "b"],
            optionalMembers: [nil, member], missing: nil, float: 0.1,
            json: ["i": 1, "d": .double(3.0), "e": .double(1.5), "n": nil, "a": [.double(-0.0), .double(.infinity), "s"]],
            nested: [[], [1e20, -1e-7, 123456.789, 9.223372036854775807e18, -9.223372036854775808e18, .nan, -.infinity]],
            date: Date(timeIntervalSinceReferenceDate: 12.5))
        let expected = try viaFoundation(record)
        #expect(try direct(record) == expected)
        #expect(try direct(record).jsonString == expected.jsonString)
    }

    @Test("scalars at the top level, and every integer width")
    func scalars() throws {
        #expect(try direct(42) == .int(42))
        #expect(try direct("s") == .string("s"))
        #expect(try direct(2.0) == .int(2))
        #expect(try direct(Float(1.1)) == .double(1.1))
        #expect(try direct(UInt64.max) == .double(18446744073709551615))
        #expect(try direct(Int64.min) == .int(.min))
        #expect(try direct(Optional<Int>.none) == .null)
        struct Widths: Codable { var a: Int8 = -1; var b: Int16 = -2; var c: Int32 = -3; var d: Int64 = -4; var e: UInt = .max; var f: UInt8 = 5; var g: UInt16 = 6; var h: UInt32 = 7; var i: UInt64 = 8; var j: Float = .infinity; var k: Double = .nan }
        #expect(try direct(Widths()) == viaFoundation(Widths()))
        #expect(try direct([Widths()]) == viaFoundation([Widths()]))
    }

    /// Hand-written `encode(to:)`s: nested keyed and unkeyed containers, super encoders, keys
    /// encoded twice, `encodeNil`, and a nested value that encodes nothing.
    struct Manual: Encodable {
        enum Key: String, CodingKey { case a, b, c, d, e }
        struct Nothing: Encodable { func encode(to encoder: any Encoder) throws {} }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Key.self)
            try container.encode(1, forKey: .a)
            try container.encode(2, forKey: .a)
            try container.encodeNil(forKey: .e)
            var inner = container.nestedContainer(keyedBy: Key.self, forKey: .b)
            try inner.encode("x", forKey: .a)
            var list = inner.nestedUnkeyedContainer(forKey: .b)
            try list.encode(1.5)
            var listed = list.nestedContainer(keyedBy: Key.self)
            try listed.encode(true, forKey: .c)
            var deeper = list.nestedUnkeyedContainer()
            try deeper.encode(Nothing())
            try deeper.encodeNil()
            var elementSuper = list.superEncoder().singleValueContainer()
            try elementSuper.encode("elementSuper")
            try list.encode(Int16(7))
            var parent = container.superEncoder().container(keyedBy: Key.self)
            try parent.encode("parent", forKey: .a)
            var keyedSuper = container.superEncoder(forKey: .c).unkeyedContainer()
            try keyedSuper.encode(UInt8(9))
            try container.encode(Nothing(), forKey: .d)
            // The same container asked for again writes into the same object.
            var again = encoder.container(keyedBy: Key.self)
            try again.encode([Int?.none, 3], forKey: .e)
        }
    }

    @Test("nested containers, super encoders and repeated keys match Foundation's encoder")
    func manualContainers() throws {
        let expected = try viaFoundation(Manual())
        #expect(try direct(Manual()) == expected)
        #expect(try direct([Manual(), Manual()]) == viaFoundation([Manual(), Manual()]))
    }

    @Test("non-finite doubles are refused by default, with the path to them")
    func refusesNonFinite() throws {
        struct Holder: Encodable { var values: [Double] }
        do {
            _ = try JSONValueEncoder().encode(Holder(values: [1, .nan]))
            Issue.record("NaN was encoded")
        } catch let EncodingError.invalidValue(_, context) {
            #expect(context.codingPath.map(\.stringValue) == ["values", "Index 1"])
        }
        #expect(throws: EncodingError.self) { try JSONValueEncoder().encode(JSONValue.double(.infinity)) }
        #expect(try JSONValueEncoder().encode(Holder(values: [0.5, 1])) == ["values": [0.5, 1]])
    }

    @Test("a top-level value that encodes nothing is an error; a nested one is {}")
    func encodesNothing() throws {
        #expect(throws: EncodingError.self) { try JSONValueEncoder().encode(Manual.Nothing()) }
        #expect(try direct([Manual.Nothing()]) == [[:]])
    }

    @Test("errors thrown by encode(to:) come out unchanged")
    func propagatesErrors() {
        struct Failing: Encodable {
            struct Failure: Error, Equatable {}
            func encode(to encoder: any Encoder) throws { throw Failure() }
        }
        #expect(throws: Failing.Failure()) { try JSONValueEncoder().encode(["a": [Failing()]]) }
    }

    @Test("a JSONValue with nothing to normalize comes back as it is")
    func jsonValuesPassThrough() throws {
        let value: JSONValue = ["a": [1, 2.5, "x", nil, true], "b": ["c": -1e300]]
        #expect(try direct(value) == value)
        #expect(try direct(value) == viaFoundation(value))
    }
}
