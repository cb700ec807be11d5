import Testing
@testable import WSMan

@Suite struct HTTPFramingTests {
    static let xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><a:Envelope xmlns:a=\"http://www.w3.org/2003/05/soap-envelope\"><a:Header/><a:Body><g:X xmlns:g=\"urn:x\"><g:V>Fo\u{C0}bar</g:V></g:X></a:Body></a:Envelope>"

    static func amtChunkedResponse(chunk: Int) -> [UInt8] {
        HTTPResponseMessage(status: 200, headers: [
            "Date": "Mon, 10 Jan 2022 20:37:48 GMT",
            "Server": "Intel(R) Active Management Technology 15.0.23.1706",
            "X-Frame-Options": "DENY",
            "Content-Type": "application/soap+xml; charset=UTF-8",
        ], body: Array(xml.utf8)).encode(chunkSize: chunk)
    }

    @Test func chunkedEncoderUsesAMTStyleSizes() {
        let wire = String(decoding: Self.amtChunkedResponse(chunk: 0x40), as: UTF8.self)
        #expect(wire.hasPrefix("HTTP/1.1 200 OK\r\n"))
        #expect(wire.contains("Transfer-Encoding: chunked\r\n\r\n0040\r\n<?xml"))
        #expect(wire.hasSuffix("\r\n0\r\n\r\n"))
        #expect(!wire.contains("Content-Length"))
    }

    @Test func chunkedResponseSplitAtEveryByte() throws {
        let wire = Self.amtChunkedResponse(chunk: 0x33)
        for split in 0...wire.count {
            var parser = HTTPResponseParser()
            parser.append(wire[0..<split])
            var responses: [HTTPResponseMessage] = []
            if let r = try parser.nextResponse() { responses.append(r) }
            parser.append(wire[split...])
            while let r = try parser.nextResponse() { responses.append(r) }
            #expect(responses.count == 1)
            #expect(responses.first?.status == 200)
            #expect(responses.first?.body == Array(Self.xml.utf8))
            #expect(responses.first?.headers["x-frame-options"] == "DENY")
            #expect(parser.isIdle)
        }
    }

    @Test func byteAtATimeTwoPipelinedResponses() throws {
        let first = Self.amtChunkedResponse(chunk: 7)
        let second = HTTPResponseMessage(status: 401, headers: [
            "WWW-Authenticate": "Digest realm=\"Digest:34BF4B5A0561F95248F58509A406E046\", nonce=\"bQali2IAAAAAAAAAn0xaWCOcxNsRcEHX\",stale=\"false\",qop=\"auth\"",
            "Content-Type": "text/html", "Connection": "close",
        ], body: Array("<html>401</html>".utf8)).encode()
        var parser = HTTPResponseParser()
        var got: [HTTPResponseMessage] = []
        for byte in first + second {
            parser.append([byte])
            while let r = try parser.nextResponse() { got.append(r) }
        }
        #expect(got.map(\.status) == [200, 401])
        #expect(got[1].bodyText == "<html>401</html>")
        let challenge = try #require(try DigestChallenge.find(in: got[1].headers))
        #expect(challenge.realm == "Digest:34BF4B5A0561F95248F58509A406E046")
        #expect(challenge.nonce == "bQali2IAAAAAAAAAn0xaWCOcxNsRcEHX")
    }

    @Test func contentLengthRequestSplitAtEveryByte() throws {
        let body = Array("<tag>Foo\u{C0}bar</tag>".utf8)
        let request = HTTPRequestMessage.wsmanPost(host: "guid:16992", body: body, authorization: "Digest x=\"y\"")
        let wire = request.encode()
        let text = String(decoding: wire, as: UTF8.self)
        #expect(text.hasPrefix("POST /wsman HTTP/1.1\r\nAuthorization: Digest x=\"y\"\r\nHost: guid:16992\r\nContent-Type: application/soap+xml; charset=utf-8\r\nContent-Length: 19\r\n\r\n"))
        for split in 0...wire.count {
            var parser = HTTPRequestParser()
            parser.append(wire[0..<split])
            var got = try parser.nextRequest()
            if split < wire.count { #expect(got == nil) }
            parser.append(wire[split...])
            if got == nil { got = try parser.nextRequest() }
            let parsed = try #require(got)
            #expect(parsed.method == "POST")
            #expect(parsed.target == "/wsman")
            #expect(parsed.body == body)
            #expect(parsed.headers["host"] == "guid:16992")
        }
    }

    @Test func contentLengthResponseSplitAtEveryByte() throws {
        let wire = HTTPResponseMessage(status: 200, body: Array(Self.xml.utf8)).encode()
        for split in 0...wire.count {
            var parser = HTTPResponseParser()
            parser.append(wire[0..<split])
            var got = try parser.nextResponse()
            parser.append(wire[split...])
            if got == nil { got = try parser.nextResponse() }
            #expect(got?.body == Array(Self.xml.utf8))
        }
    }

    @Test func readUntilCloseAndTruncation() throws {
        var parser = HTTPResponseParser()
        parser.append(Array("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nhello".utf8))
        #expect(try parser.nextResponse() == nil)
        #expect(try parser.finish()?.bodyText == "hello")

        var cut = HTTPResponseParser()
        cut.append(Array("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhel".utf8))
        #expect(try cut.nextResponse() == nil)
        #expect(throws: HTTPParseError.truncated) { try cut.finish() }

        var idle = HTTPResponseParser()
        #expect(try idle.finish() == nil)
    }

    @Test func noBodyStatuses() throws {
        var parser = HTTPResponseParser()
        parser.append(Array("HTTP/1.1 204 No Content\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nx".utf8))
        #expect(try parser.nextResponse()?.status == 204)
        #expect(try parser.nextResponse()?.bodyText == "x")
    }

    @Test(arguments: [
        ("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\n", HTTPParseError.malformedChunkSize("ZZ")),
        ("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n\r\n", HTTPParseError.malformedChunkSize("")),
        ("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabXY", HTTPParseError.malformedChunk),
        ("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n", HTTPParseError.unsupportedTransferEncoding("gzip")),
        ("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", HTTPParseError.invalidContentLength("-1")),
        ("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", HTTPParseError.invalidContentLength("1, 2")),
        ("HTTP/1.1 2000 OK\r\n\r\n", HTTPParseError.malformedStartLine("HTTP/1.1 2000 OK")),
        ("SPDY 200 OK\r\n\r\n", HTTPParseError.malformedStartLine("SPDY 200 OK")),
        ("HTTP/1.1 200 OK\r\nBad Header: x\r\n\r\n", HTTPParseError.malformedHeader("Bad Header: x")),
        ("HTTP/1.1 200 OK\r\nNoColon\r\n\r\n", HTTPParseError.malformedHeader("NoColon")),
        ("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1 2\r\n", HTTPParseError.malformedChunkSize("1 2")),
        ("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1234567890123456\r\n", HTTPParseError.malformedChunkSize("1234567890123456")),
        ("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n;ext\r\n", HTTPParseError.malformedChunkSize(";ext")),
        ("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip\r\n\r\n", HTTPParseError.unsupportedTransferEncoding("chunked, gzip")),
        ("HTTP/1.1 200 OK\r\nContent-Length: 0x10\r\n\r\n", HTTPParseError.invalidContentLength("0x10")),
        ("HTTP/1.1 20x OK\r\n\r\n", HTTPParseError.malformedStartLine("HTTP/1.1 20x OK")),
        ("HTTP/1.1\r\n\r\n", HTTPParseError.malformedStartLine("HTTP/1.1")),
        ("HTTP/1.\u{301}1 200 OK\r\n\r\n", HTTPParseError.malformedStartLine("HTTP/1.\u{301}1 200 OK")),
    ])
    func malformedResponsesAreTyped(_ input: String, _ expected: HTTPParseError) {
        var parser = HTTPResponseParser()
        parser.append(Array(input.utf8))
        #expect(throws: expected) { try parser.nextResponse() }
        // The parser stays failed.
        parser.append(Array("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n".utf8))
        #expect(throws: expected) { try parser.nextResponse() }
    }

    @Test func oversizeBodiesAndHeaders() {
        let limits = HTTPParserLimits(maxHeaderBytes: 64, maxBodyBytes: 16)
        var declared = HTTPResponseParser(limits: limits)
        declared.append(Array("HTTP/1.1 200 OK\r\nContent-Length: 17\r\n\r\n".utf8))
        #expect(throws: HTTPParseError.bodyTooLarge(limit: 16)) { try declared.nextResponse() }

        var chunked = HTTPResponseParser(limits: limits)
        chunked.append(Array("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n8\r\n12345678\r\n9\r\n".utf8))
        #expect(throws: HTTPParseError.bodyTooLarge(limit: 16)) { try chunked.nextResponse() }

        var huge = HTTPResponseParser(limits: limits)
        huge.append(Array("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nFFFFFFFFFFFFFFFFFFFF\r\n".utf8))
        #expect(throws: HTTPParseError.self) { try huge.nextResponse() }

        var untilClose = HTTPResponseParser(limits: limits)
        untilClose.append(Array("HTTP/1.1 200 OK\r\n\r\n".utf8) + Array(repeating: UInt8(ascii: "a"), count: 17))
        #expect(throws: HTTPParseError.bodyTooLarge(limit: 16)) { try untilClose.nextResponse() }

        var headers = HTTPResponseParser(limits: limits)
        headers.append(Array(("HTTP/1.1 200 OK\r\nX: " + String(repeating: "a", count: 80)).utf8))
        #expect(throws: HTTPParseError.headersTooLarge(limit: 64)) { try headers.nextResponse() }
    }

    @Test func requestSmugglingShapesRejected() {
        var parser = HTTPRequestParser()
        parser.append(Array("POST /wsman HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n".utf8))
        #expect(throws: HTTPParseError.self) { try parser.nextRequest() }
    }

    /// The byte-level start line, chunk size and Content-Length paths accept what the
    /// Character-based ones did.
    @Test func framingValuesReadOnTheBytes() throws {
        var parser = HTTPResponseParser()
        parser.append(Array("HTTP/1.1 200 Very OK\r\nTransfer-Encoding: Chunked\r\n\r\n 1aF ; x=y \r\n".utf8))
        parser.append(Array(repeating: UInt8(ascii: "z"), count: 0x1AF) + Array("\r\n0\r\n\r\n".utf8))
        parser.append(Array("HTTP/1.1 404\r\nContent-Length: 5, 5\r\n\r\nhello".utf8))
        parser.append(Array("HTTP/1.0 201 \r\ncontent-length: 0002\r\n\r\nok".utf8))
        let first = try #require(try parser.nextResponse())
        #expect(first.status == 200 && first.reason == "Very OK" && first.body.count == 0x1AF)
        let second = try #require(try parser.nextResponse())
        #expect(second.status == 404 && second.reason == "" && second.bodyText == "hello")
        let third = try #require(try parser.nextResponse())
        #expect(third.version == "HTTP/1.0" && third.status == 201 && third.bodyText == "ok")
        var requests = HTTPRequestParser()
        requests.append(Array("POST /wsman?a=b HTTP/1.1 extra\r\nContent-Length: 2\r\n\r\nhi".utf8))
        let request = try #require(try requests.nextRequest())
        #expect(request.method == "POST" && request.target == "/wsman?a=b" && request.version == "HTTP/1.1 extra")
        var bad = HTTPRequestParser()
        bad.append(Array("GET  HTTP/1.1\r\n\r\n".utf8))
        #expect(throws: HTTPParseError.malformedStartLine("GET  HTTP/1.1")) { try bad.nextRequest() }
    }

    @Test func chunkExtensionsAndTrailersAccepted() throws {
        var parser = HTTPResponseParser()
        parser.append(Array("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3;name=v\r\nabc\r\n0\r\nX-Trailer: 1\r\n\r\n".utf8))
        #expect(try parser.nextResponse()?.bodyText == "abc")
        #expect(parser.isIdle)
    }
}
