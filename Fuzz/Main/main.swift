// The libFuzzer entry shared by every target; `Fuzz/build.sh NAME` compiles it with `-D FUZZ_<NAME>`
// together with that target's harness (see Fuzz/README.md).

@_cdecl("LLVMFuzzerTestOneInput")
public func LLVMFuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    let input = UnsafeBufferPointer(start: data, count: size)
    #if FUZZ_XML
    XMLParserHarness.run(input)
    #elseif FUZZ_HTTP
    HTTPResponseHarness.run(input)
    #elseif FUZZ_DIGEST
    DigestChallengeHarness.run(input)
    #elseif FUZZ_JSON
    JSONValueHarness.run(input)
    #elseif FUZZ_REST
    RESTRequestHarness.run(input)
    #else
    #error("compile with -D FUZZ_XML, FUZZ_HTTP, FUZZ_DIGEST, FUZZ_JSON or FUZZ_REST (Fuzz/build.sh does)")
    #endif
    return 0
}
