import Testing
@testable import WSMan

/// Expected envelopes are the byte-exact request strings documented in
/// /work/shared/reference/mps-api.md §4.10 (what AMT clients send and AMT accepts).
@Suite struct EnvelopeBuilderTests {
    static let prologue = "<?xml version=\"1.0\" encoding=\"utf-8\"?><Envelope xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\" xmlns:a=\"http://schemas.xmlsoap.org/ws/2004/08/addressing\" xmlns:w=\"http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd\" xmlns=\"http://www.w3.org/2003/05/soap-envelope\">"

    @Test func getMatchesReferenceByteForByte() {
        let expected = Self.prologue + "<Header><a:Action>http://schemas.xmlsoap.org/ws/2004/09/transfer/Get</a:Action><a:To>/wsman</a:To><w:ResourceURI>http://intel.com/wbem/wscim/1/amt-schema/1/AMT_BootSettingData</w:ResourceURI><a:MessageID>0</a:MessageID><a:ReplyTo><a:Address>http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</a:Address></a:ReplyTo><w:OperationTimeout>PT60S</w:OperationTimeout></Header><Body></Body></Envelope>"
        let request = WSManRequest.get(.amtBootSettingData, messageID: "0")
        #expect(request.xml == expected)
        #expect(request.utf8.count == 718)
    }

    @Test func changeBootOrderClearMatchesReference() {
        let expected = Self.prologue + "<Header><a:Action>http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_BootConfigSetting/ChangeBootOrder</a:Action><a:To>/wsman</a:To><w:ResourceURI>http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_BootConfigSetting</w:ResourceURI><a:MessageID>1</a:MessageID><a:ReplyTo><a:Address>http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</a:Address></a:ReplyTo><w:OperationTimeout>PT60S</w:OperationTimeout></Header><Body><h:ChangeBootOrder_INPUT xmlns:h=\"http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_BootConfigSetting\"></h:ChangeBootOrder_INPUT></Body></Envelope>"
        let request = WSManRequest.changeBootOrder(source: nil, messageID: "1")
        #expect(request.xml == expected)
        #expect(request.utf8.count == 897)
    }

    @Test func powerChangeBodyMatchesReference() {
        let body = "<h:RequestPowerStateChange_INPUT xmlns:h=\"http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_PowerManagementService\"><h:PowerState>8</h:PowerState><h:ManagedElement><Address xmlns=\"http://schemas.xmlsoap.org/ws/2004/08/addressing\">http://schemas.xmlsoap.org/ws/2004/08/addressing</Address><ReferenceParameters xmlns=\"http://schemas.xmlsoap.org/ws/2004/08/addressing\"><ResourceURI xmlns=\"http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd\">http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_ComputerSystem</ResourceURI><SelectorSet xmlns=\"http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd\"><Selector Name=\"CreationClassName\">CIM_ComputerSystem</Selector><Selector Name=\"Name\">ManagedSystem</Selector></SelectorSet></ReferenceParameters></h:ManagedElement></h:RequestPowerStateChange_INPUT>"
        let request = WSManRequest.requestPowerStateChange(.offSoft, messageID: "0")
        #expect(request.bodyXML == body)
        #expect(request.utf8.count == 1569)
        #expect(WSManRequest.requestPowerStateChange(.masterBusReset, messageID: "2").utf8.count == 1570)
    }

    @Test func documentedEnvelopeSizes() {
        #expect(WSManRequest.setBootConfigRole(messageID: "0").utf8.count == 1478)
        #expect(WSManRequest.changeBootOrder(source: .pxe, messageID: "1").utf8.count == 1444)
        #expect(WSManRequest.enumerate(.cimServiceAvailableToElement, messageID: "0").utf8.count == 815)
        #expect(WSManRequest.pull(.cimServiceAvailableToElement, context: "DD020000-0000-0000-0000-000000000000", messageID: "1").utf8.count == 953)
        #expect(WSManRequest.get(.amtBootCapabilities, messageID: "1").utf8.count == 719)
    }

    @Test func builtEnvelopesParseBack() throws {
        let request = WSManRequest.delete(
            WSManResource(.ips, "IPS_AlarmClockOccurrence"), messageID: "7",
            selectors: [WSManSelector(name: "InstanceID", value: "Alarm <1> & \"x\"")])
        let parsed = try WSManEnvelope(xml: request.xml)
        #expect(parsed.header.action == WSManAction.delete)
        #expect(parsed.header.resourceURI == "http://intel.com/wbem/wscim/1/ips-schema/1/IPS_AlarmClockOccurrence")
        #expect(parsed.header.messageID == "7")
        #expect(parsed.header.to == "/wsman")
        #expect(parsed.header.operationTimeout == "PT60S")
        #expect(parsed.header.selectors == [WSManSelector(name: "InstanceID", value: "Alarm <1> & \"x\"")])
        #expect(parsed.body.children.isEmpty)
    }

    @Test(arguments: [BootSource.hardDrive, .cdDVD, .pxe])
    func changeBootOrderSourceParsesBack(_ source: BootSource) throws {
        let parsed = try WSManEnvelope(xml: WSManRequest.changeBootOrder(source: source, messageID: "3").xml)
        #expect(parsed.header.action == "http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_BootConfigSetting/ChangeBootOrder")
        let input = try #require(parsed.body.child("ChangeBootOrder_INPUT"))
        let ref = try #require(input.child("Source").flatMap(EndpointReference.init(element:)))
        #expect(ref.resourceURI == WSManResource.cimBootSourceSetting.uri)
        #expect(ref.selectors == [WSManSelector(name: "InstanceID", value: source.instanceID)])
    }

    @Test func powerChangeAndBootRoleParseBack() throws {
        let power = try WSManEnvelope(xml: WSManRequest.requestPowerStateChange(.on, messageID: "4").xml)
        let input = try #require(power.instance("RequestPowerStateChange_INPUT"))
        #expect(input.int("PowerState") == 2)
        let element = try #require(power.body.firstDescendant(named: "ManagedElement"))
        #expect(EndpointReference(element: element) == .managedSystem)

        let role = try WSManEnvelope(xml: WSManRequest.setBootConfigRole(messageID: "5").xml)
        let roleInput = try #require(role.instance("SetBootConfigRole_INPUT"))
        #expect(roleInput.int("Role") == 1)
        let ref = try #require(role.body.firstDescendant(named: "BootConfigSetting").flatMap(EndpointReference.init(element:)))
        #expect(ref.selectors.first?.value == "Intel(r) AMT: Boot Configuration 0")
    }

    @Test func putEchoesInstanceInOrderWithRepeatedProperties() throws {
        var instance = WSManInstance(className: "AMT_BootSettingData")
        instance["BIOSLastStatus"] = .list(["2", "0"])
        instance["BIOSSetup"] = .bool(false)
        instance["ElementName"] = "Intel(r) AMT Boot Configuration Settings"
        instance["BIOSSetup"] = .bool(true)
        let request = WSManRequest.putBootSettingData(instance, messageID: "1")
        #expect(request.bodyXML == "<h:AMT_BootSettingData xmlns:h=\"http://intel.com/wbem/wscim/1/amt-schema/1/AMT_BootSettingData\"><h:BIOSLastStatus>2</h:BIOSLastStatus><h:BIOSLastStatus>0</h:BIOSLastStatus><h:BIOSSetup>true</h:BIOSSetup><h:ElementName>Intel(r) AMT Boot Configuration Settings</h:ElementName></h:AMT_BootSettingData>")
        let parsed = try WSManEnvelope(xml: request.xml)
        #expect(parsed.header.action == WSManAction.put)
        #expect(parsed.instance("AMT_BootSettingData")?.properties == instance.properties)
    }

    @Test func invokeWithParametersEscapes() throws {
        let request = WSManRequest.invoke(.ipsOptInService, method: "SendOptInCode",
                                          parameters: [(name: "OptInCode", value: "1<2")], messageID: "9")
        #expect(request.action == "http://intel.com/wbem/wscim/1/ips-schema/1/IPS_OptInService/SendOptInCode")
        let parsed = try WSManEnvelope(xml: request.xml)
        #expect(parsed.instance("SendOptInCode_INPUT")?.string("OptInCode") == "1<2")
    }

    @Test func resourceURIsRoundTrip() {
        let all: [WSManResource] = [
            .cimAssociatedPowerManagementService, .cimPowerManagementService, .amtBootSettingData,
            .amtBootCapabilities, .cimBootService, .cimBootConfigSetting, .cimSoftwareIdentity,
            .amtSetupAndConfigurationService, .amtGeneralSettings, .cimComputerSystemPackage, .cimChassis,
            .cimCard, .cimBIOSElement, .cimProcessor, .cimPhysicalMemory, .cimMediaAccessDevice,
            .cimPhysicalPackage, .cimChip, .ipsOptInService,
        ]
        for resource in all {
            #expect(WSManResource(uri: resource.uri) == resource)
        }
        #expect(WSManResource.cimChip.uri == "http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_Chip")
        #expect(WSManResource.amtGeneralSettings.uri == "http://intel.com/wbem/wscim/1/amt-schema/1/AMT_GeneralSettings")
        #expect(WSManResource(uri: "http://example.com/x") == nil)
    }
}
