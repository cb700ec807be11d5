import Testing
@testable import WSMan

@Suite(.enabled(if: Fixtures.available, Fixtures.absence))
struct FixtureResponseTests {
    @Test func everyFixtureParses() throws {
        let files = Fixtures.allXMLFiles()
        #expect(files.count > 100)
        for file in files {
            let envelope = try WSManEnvelope(bytes: try Fixtures.bytes(file))
            #expect(envelope.header.action?.isEmpty == false, "\(file)")
            #expect(envelope.fault == nil, "\(file)")
        }
    }

    @Test func powerStateFromAssociatedPowerManagementServicePull() throws {
        let envelope = try WSManEnvelope(bytes: try Fixtures.bytes("cim/service/availabletoelement/pull.xml"))
        #expect(envelope.header.relatesTo == "1")
        #expect(envelope.header.action == "http://schemas.xmlsoap.org/ws/2004/09/enumeration/PullResponse")
        #expect(envelope.header.messageID == "uuid:00000000-8086-8086-8086-000000000E93")
        #expect(envelope.endOfSequence)
        let items = envelope.pullItems
        #expect(items.count == 1)
        let service = try #require(items.first)
        #expect(service.className == "CIM_AssociatedPowerManagementService")
        #expect(service.namespaceURI == WSManResource.cimAssociatedPowerManagementService.uri)
        #expect(service.int("PowerState") == 2)
        #expect(service.strings("AvailableRequestedPowerStates") == ["10", "8", "5", "11", "4", "7", "14", "12"])
        let provided = try #require(service["ServiceProvided"]?.object)
        let refParams = try #require(provided["ReferenceParameters"]?.object)
        #expect(refParams.string("ResourceURI") == WSManResource.cimPowerManagementService.uri)
    }

    @Test func enumerationContext() throws {
        let envelope = try WSManEnvelope(bytes: try Fixtures.bytes("cim/power/managementservice/enumerate.xml"))
        #expect(envelope.enumerationContext == "DB020000-0000-0000-0000-000000000000")
        #expect(!envelope.endOfSequence)
    }

    @Test func requestPowerStateChangeReturnValue() throws {
        let envelope = try WSManEnvelope(bytes: try Fixtures.bytes("cim/power/managementservice/requestpowerstatechange.xml"))
        #expect(envelope.header.relatesTo == "0")
        let value = try envelope.requireReturnValue(method: "RequestPowerStateChange")
        #expect(value == .success)
        #expect(value.returnValueStr == "SUCCESS")
        #expect(envelope.returnValue() == ReturnValue(0))
        #expect(throws: WSManEnvelopeError.missingElement("ChangeBootOrder_OUTPUT")) {
            try envelope.requireReturnValue(method: "ChangeBootOrder")
        }
    }

    @Test func startOptInNotReady() throws {
        let envelope = try WSManEnvelope(bytes: try Fixtures.bytes("ips/optin/startoptin.xml"))
        let value = try #require(envelope.returnValue(method: "StartOptIn"))
        #expect(value.code == 2)
        #expect(value.name == "NOT_READY")
    }

    @Test func bootSettingDataFieldsAndPutEcho() throws {
        let envelope = try WSManEnvelope(bytes: try Fixtures.bytes("amt/boot/settingdata/get.xml"))
        #expect(envelope.header.relatesTo == "5")
        let data = try envelope.requireInstance("AMT_BootSettingData")
        #expect(data.strings("BIOSLastStatus") == ["2", "0"])
        #expect(data.bool("BIOSSetup") == false)
        #expect(data.int("BootguardStatus") == 127)
        #expect(data.string("InstanceID") == "Intel(r) AMT:BootSettingData 0")
        #expect(data.string("ElementName") == "Intel(r) AMT Boot Configuration Settings")
        #expect(data.string("RSEPassword") == "")
        #expect(data.bool("OptionsCleared") == true)
        #expect(data.properties.first?.name == "BIOSLastStatus")

        // Reset the way the power action does, then compare with the documented Put body.
        var put = data
        put["UseSOL"] = .bool(false)
        put["BIOSSetup"] = .bool(false)
        let body = WSManRequest.putBootSettingData(put, messageID: "1").bodyXML
        #expect(body == "<h:AMT_BootSettingData xmlns:h=\"http://intel.com/wbem/wscim/1/amt-schema/1/AMT_BootSettingData\"><h:BIOSLastStatus>2</h:BIOSLastStatus><h:BIOSLastStatus>0</h:BIOSLastStatus><h:BIOSPause>false</h:BIOSPause><h:BIOSSetup>false</h:BIOSSetup><h:BootMediaIndex>0</h:BootMediaIndex><h:BootguardStatus>127</h:BootguardStatus><h:ConfigurationDataReset>false</h:ConfigurationDataReset><h:ElementName>Intel(r) AMT Boot Configuration Settings</h:ElementName><h:EnforceSecureBoot>false</h:EnforceSecureBoot><h:FirmwareVerbosity>0</h:FirmwareVerbosity><h:ForcedProgressEvents>false</h:ForcedProgressEvents><h:IDERBootDevice>0</h:IDERBootDevice><h:InstanceID>Intel(r) AMT:BootSettingData 0</h:InstanceID><h:LockKeyboard>false</h:LockKeyboard><h:LockPowerButton>false</h:LockPowerButton><h:LockResetButton>false</h:LockResetButton><h:LockSleepButton>false</h:LockSleepButton><h:OptionsCleared>true</h:OptionsCleared><h:OwningEntity>Intel(r) AMT</h:OwningEntity><h:PlatformErase>false</h:PlatformErase><h:RPEEnabled>true</h:RPEEnabled><h:RSEPassword></h:RSEPassword><h:ReflashBIOS>false</h:ReflashBIOS><h:SecureBootControlEnabled>true</h:SecureBootControlEnabled><h:SecureErase>false</h:SecureErase><h:UEFIHTTPSBootEnabled>true</h:UEFIHTTPSBootEnabled><h:UEFILocalPBABootEnabled>true</h:UEFILocalPBABootEnabled><h:UefiBootNumberOfParams>0</h:UefiBootNumberOfParams><h:UseIDER>false</h:UseIDER><h:UseSOL>false</h:UseSOL><h:UseSafeMode>false</h:UseSafeMode><h:UserPasswordBypass>false</h:UserPasswordBypass><h:WinREBootEnabled>true</h:WinREBootEnabled></h:AMT_BootSettingData>")
    }

    @Test func softwareIdentityVersions() throws {
        let envelope = try WSManEnvelope(bytes: try Fixtures.bytes("cim/software/identity/pull.xml"))
        let items = envelope.pullItems
        #expect(items.count == 11)
        let byID = Dictionary(items.compactMap { item in item.string("InstanceID").map { ($0, item) } },
                              uniquingKeysWith: { a, _ in a })
        #expect(byID["AMT"]?.string("VersionString") == "12.0.67")
        #expect(byID["Flash"] != nil)
        #expect(items.allSatisfy { $0.className == "CIM_SoftwareIdentity" })
    }

    @Test func generalSettingsRealm() throws {
        let envelope = try WSManEnvelope(bytes: try Fixtures.bytes("amt/general/get.xml"))
        let settings = try envelope.requireInstance("AMT_GeneralSettings")
        #expect(settings.string("DigestRealm") == "Digest:F3EB554784E729164447A89F60B641C5")
        #expect(settings.string("HostName") == "Test Host Name")
    }

    @Test func actionWithSurroundingWhitespaceIsTrimmed() throws {
        let envelope = try WSManEnvelope(bytes: try Fixtures.bytes("amt/alarmclock/addalarm.xml"))
        #expect(envelope.header.action == "http://intel.com/wbem/wscim/1/amt-schema/1/AMT_AlarmClockService/AddAlarmResponse")
        #expect(envelope.returnValue(method: "AddAlarm") == .success)
    }

    @Test func truncatedFixturesFailWithTypedError() throws {
        let bytes = try Fixtures.bytes("cim/service/availabletoelement/pull.xml")
        for cut in stride(from: 0, to: bytes.count - 20, by: 97) {
            #expect(throws: WSManEnvelopeError.self) { try WSManEnvelope(bytes: Array(bytes[0..<cut])) }
        }
    }
}

@Suite struct EnvelopeParsingTests {
    static let fault = """
    <?xml version="1.0" encoding="UTF-8"?><a:Envelope xmlns:a="http://www.w3.org/2003/05/soap-envelope" xmlns:b="http://schemas.xmlsoap.org/ws/2004/08/addressing" xmlns:c="http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd"><a:Header><b:To>http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</b:To><b:RelatesTo>2</b:RelatesTo><b:Action a:mustUnderstand="true">http://schemas.dmtf.org/wbem/wsman/1/wsman/fault</b:Action><b:MessageID>uuid:00000000-8086-8086-8086-000000000061</b:MessageID></a:Header><a:Body><a:Fault><a:Code><a:Value>a:Sender</a:Value><a:Subcode><a:Value>b:DestinationUnreachable</a:Value></a:Subcode></a:Code><a:Reason><a:Text xml:lang="en-US">No route can be determined to reach the destination role defined by the WSAddressing To.</a:Text></a:Reason><a:Detail><c:FaultDetail>http://schemas.dmtf.org/wbem/wsman/1/wsman/faultDetail/InvalidResourceURI</c:FaultDetail></a:Detail></a:Fault></a:Body></a:Envelope>
    """

    @Test func decodesSoapFault() throws {
        let envelope = try WSManEnvelope(xml: Self.fault)
        let fault = try #require(envelope.fault)
        #expect(fault.code == "a:Sender")
        #expect(fault.codeName == "Sender")
        #expect(fault.subcode == "b:DestinationUnreachable")
        #expect(fault.subcodeName == "DestinationUnreachable")
        #expect(fault.reason.hasPrefix("No route can be determined"))
        #expect(fault.detail == "http://schemas.dmtf.org/wbem/wsman/1/wsman/faultDetail/InvalidResourceURI")
        #expect(fault.action == WSManAction.wsmanFault)
        #expect(throws: fault) { try envelope.requireReturnValue(method: "RequestPowerStateChange") }
        #expect(throws: fault) { try envelope.requireInstance() }
        #expect(envelope.returnValue() == nil)
        #expect(fault.description.contains("DestinationUnreachable"))
    }

    @Test func faultBuilderRoundTrips() throws {
        let fault = WSManFault(code: "a:Sender", subcode: "c:AccessDenied", reason: "The sender was not authorized",
                               detail: "detail & more", action: WSManAction.addressingFault)
        let xml = WSManReplyBuilder.fault(fault, relatesTo: "3", messageID: "uuid:1")
        let parsed = try WSManEnvelope(xml: xml)
        #expect(parsed.fault == fault)
        #expect(parsed.header.relatesTo == "3")
    }

    @Test func replyBuildersRoundTrip() throws {
        var instance = WSManInstance(className: "X")
        instance["PowerState"] = .int(2)
        instance["AvailableRequestedPowerStates"] = .list(["8", "10"])
        let get = try WSManEnvelope(xml: WSManReplyBuilder.instance(
            instance, resource: .cimAssociatedPowerManagementService, requestAction: WSManAction.get,
            relatesTo: "4", messageID: "uuid:2"))
        #expect(get.header.action == "http://schemas.xmlsoap.org/ws/2004/09/transfer/GetResponse")
        #expect(get.instance("CIM_AssociatedPowerManagementService")?.int("PowerState") == 2)

        let item = WSManInstance(className: "CIM_AssociatedPowerManagementService",
                                 namespaceURI: WSManResource.cimAssociatedPowerManagementService.uri,
                                 properties: instance.properties)
        let pull = try WSManEnvelope(xml: WSManReplyBuilder.pullResponse(
            items: [item, item], resource: .cimServiceAvailableToElement, relatesTo: "1", messageID: "uuid:3"))
        #expect(pull.pullItems == [item, item])
        #expect(pull.endOfSequence)

        let enumerate = try WSManEnvelope(xml: WSManReplyBuilder.enumerateResponse(
            context: "AB000000", resourceURI: WSManResource.cimSoftwareIdentity.uri, relatesTo: "0", messageID: "uuid:4"))
        #expect(enumerate.enumerationContext == "AB000000")
        #expect(enumerate.pullItems.isEmpty && !enumerate.endOfSequence)
        // Optimized (DSP0226 §8.2.3): the first items in the EnumerateResponse itself.
        let itemXML = item.xml(prefix: "h", namespaceURI: WSManResource.cimAssociatedPowerManagementService.uri)
        let optimized = try WSManEnvelope(xml: WSManReplyBuilder.enumerateResponse(
            context: "AB000001", itemsXML: [itemXML], endOfSequence: true, resourceURI: WSManResource.cimServiceAvailableToElement.uri,
            relatesTo: "0", messageID: "uuid:6"))
        #expect(optimized.pullItems == [item] && optimized.endOfSequence && optimized.enumerationContext == "AB000001")
        let firstPage = try WSManEnvelope(xml: WSManReplyBuilder.enumerateResponse(
            context: "AB000002", itemsXML: [itemXML], resourceURI: WSManResource.cimServiceAvailableToElement.uri,
            relatesTo: "0", messageID: "uuid:7"))
        #expect(firstPage.pullItems == [item] && !firstPage.endOfSequence)
        let middle = try WSManEnvelope(xml: WSManReplyBuilder.pullResponse(
            items: [item], resource: .cimServiceAvailableToElement, relatesTo: "1", messageID: "uuid:8", endOfSequence: false,
            nextContext: "AB000003"))
        #expect(middle.pullItems == [item] && !middle.endOfSequence && middle.enumerationContext == "AB000003")

        let method = try WSManEnvelope(xml: WSManReplyBuilder.methodOutput(
            method: "RequestPowerStateChange", resource: .cimPowerManagementService,
            returnValue: ReturnValue(2), relatesTo: "5", messageID: "uuid:5"))
        #expect(method.header.action == "http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_PowerManagementService/RequestPowerStateChangeResponse")
        #expect(try method.requireReturnValue(method: "RequestPowerStateChange").name == "NOT_READY")
    }

    @Test func rejectsNonEnvelopesAndMissingBody() {
        #expect(throws: WSManEnvelopeError.notAnEnvelope(rootElement: "html")) {
            try WSManEnvelope(xml: "<html><body>401</body></html>")
        }
        #expect(throws: WSManEnvelopeError.missingBody) {
            try WSManEnvelope(xml: "<Envelope xmlns=\"http://www.w3.org/2003/05/soap-envelope\"><Header/></Envelope>")
        }
        #expect(throws: WSManEnvelopeError.notAnEnvelope(rootElement: "x:Envelope")) {
            try WSManEnvelope(xml: "<x:Envelope xmlns:x=\"urn:other\"><x:Body/></x:Envelope>")
        }
        #expect(throws: WSManEnvelopeError.self) { try WSManEnvelope(xml: "<Envelope><Body>") }
    }

    @Test func invalidReturnValueIsTyped() throws {
        let xml = "<Envelope><Body><g:M_OUTPUT xmlns:g=\"urn:x\"><g:ReturnValue>abc</g:ReturnValue></g:M_OUTPUT></Body></Envelope>"
        let envelope = try WSManEnvelope(xml: xml)
        #expect(throws: WSManEnvelopeError.invalidValue(element: "ReturnValue", value: "abc")) {
            try envelope.requireReturnValue()
        }
    }

    @Test func returnValueNames() {
        #expect(ReturnValue(0).name == "SUCCESS")
        #expect(ReturnValue(1).name == "INTERNAL_ERROR")
        #expect(ReturnValue(2).name == "NOT_READY")
        #expect(ReturnValue(36).name == "INVALID_PARAMETER")
        #expect(ReturnValue(2081).name == "USER_CONSENT_REQUIRED")
        #expect(ReturnValue(4106).name == "URL_REQUIRED")
        #expect(ReturnValue(-1).name == "UNKNOWN_ERROR")
        #expect(ReturnValue(2071).isKnown == false)
    }
}
