import AMT
import Testing
import TetherJSON

@Suite struct WSManInvocationTests {
    /// A huge whole number in `selectors` (e.g. `1e30` from a REST caller) must not trap the
    /// host converting it to an `Int64`; it is sent as its decimal text instead.
    @Test func hugeWholeNumberSelectorDoesNotTrap() throws {
        let json: JSONValue = [
            "resourceUri": "http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_PowerManagementService",
            "action": "Get",
            "selectors": ["Big": .double(1e30), "Small": .double(42)],
        ]
        let invocation = try WSManInvocation(json: json)
        let values = Dictionary(uniqueKeysWithValues: invocation.selectors.map { ($0.name, $0.value) })
        #expect(values["Small"] == "42")
        #expect(values["Big"] == String(1e30))
    }

    /// Names become XML element names: markup in them is refused, never sent to the device.
    @Test(arguments: [
        ["action": "Invoke", "method": "Request</h:x><evil/>"] as JSONValue,
        ["action": "Get", "selectors": ["Name\" evil=\"1": "x"]] as JSONValue,
        ["action": "Invoke", "method": "RequestPowerStateChange", "body": ["<PowerState>": 2]] as JSONValue,
        ["action": "Put", "body": ["Element Name": "x"]] as JSONValue,
    ])
    func markupInNamesIsRefused(arguments: JSONValue) throws {
        var json = arguments.objectValue ?? [:]
        json["resourceUri"] = "http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_PowerManagementService"
        #expect(throws: AMTError.self) { _ = try WSManInvocation(json: .object(json)) }
    }

    @Test func ordinaryNamesAreAccepted() throws {
        let invocation = try WSManInvocation(json: [
            "resourceUri": "http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_PowerManagementService",
            "action": "Invoke", "method": "RequestPowerStateChange", "body": ["PowerState": 8],
            "selectors": ["Name": "Intel(r) AMT Power Management Service"],
        ])
        #expect(invocation.operation == .invoke(method: "RequestPowerStateChange"))
    }
}
