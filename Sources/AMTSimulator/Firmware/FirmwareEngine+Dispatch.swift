import Foundation
import WSMan

/// WS-Man routing: by `wsa:Action` and `wsman:ResourceURI`.
extension FirmwareEngine {
    /// The outcome of one WS-Man operation before it is wrapped in an envelope.
    enum Outcome {
        /// A Get/Put reply with one instance.
        case instance(FirmwareInstance)
        /// An EnumerateResponse with a context.
        case enumeration(context: String)
        /// An optimized EnumerateResponse: the first items, and the end of the sequence or not.
        case optimizedEnumeration(items: [FirmwareInstance], context: String, endOfSequence: Bool)
        /// A PullResponse: items, then the context of the rest or (nil) the end of the sequence.
        case items([FirmwareInstance], nextContext: String?)
        /// A method `_OUTPUT` with its ReturnValue.
        case output(returnValue: Int)
        /// A method `_OUTPUT` with more output parameters (`g:`-prefixed XML) before its ReturnValue.
        case outputXML(returnValue: Int, bodyXML: String)
        /// A reply with an empty body (WS-Transfer DeleteResponse).
        case empty
        /// A SOAP fault.
        case fault(WSManFault)
    }

    /// Parses and answers a SOAP body; returns the HTTP status and the reply envelope.
    mutating func dispatch(body: [UInt8], now: Date) -> (Int, String) {
        let envelope: WSManEnvelope
        do {
            envelope = try WSManEnvelope(bytes: body)
        } catch {
            let fault = WSManFault(
                code: "a:Sender", subcode: "c:SchemaValidationError",
                reason: "The supplied SOAP violates the corresponding XML Schema definition.",
                action: WSManAction.wsmanFault)
            log(FirmwareCall(time: now, action: "", method: "", resourceClass: "", fault: fault.subcode))
            return (400, WSManReplyBuilder.fault(fault, relatesTo: nil, messageID: nextMessageID()))
        }
        let header = envelope.header
        let action = header.action ?? ""
        let resourceURI = header.resourceURI ?? ""
        let resource = WSManResource(uri: resourceURI)
        let className = resource?.className ?? resourceURI
        let method = Self.operationName(action: action, resourceURI: resourceURI)
        var call = FirmwareCall(time: now, action: action, method: method, resourceClass: className,
                                messageID: header.messageID)

        let outcome: Outcome
        if faults.refuseOperations.contains(method) {
            outcome = .fault(WSManFault(
                code: "a:Sender", subcode: "b:AccessDenied", reason: "The sender was not authorized to access the resource.",
                action: WSManAction.wsmanFault))
        } else if let resource, let handled = performProvisioning(method: method, action: action, resource: resource,
                                                           envelope: envelope, call: &call) {
            outcome = handled
        } else if let resource, let available = instances(of: resource.className) {
            // Built once per request: Get and Enumerate answer from these.
            outcome = perform(method: method, action: action, resource: resource, instances: available,
                              envelope: envelope, call: &call)
        } else {
            outcome = .fault(WSManFault(
                code: "a:Sender", subcode: "b:DestinationUnreachable",
                reason: "No route can be determined to reach the destination role defined by the WSAddressing To.",
                detail: "http://schemas.dmtf.org/wbem/wsman/1/wsman/faultDetail/InvalidResourceURI",
                action: WSManAction.wsmanFault))
        }
        let (status, xml) = render(outcome, action: action, resourceURI: resourceURI, method: method,
                                   relatesTo: header.messageID, call: &call)
        log(call)
        return (status, xml)
    }

    /// `Get`, `Put`, `Enumerate`, `Pull`, `Create`, `Delete`, or the method name of `{uri}/{Method}`.
    static func operationName(action: String, resourceURI: String) -> String {
        switch action {
        case WSManAction.get: return "Get"
        case WSManAction.put: return "Put"
        case WSManAction.enumerate: return "Enumerate"
        case WSManAction.pull: return "Pull"
        case WSManAction.create: return "Create"
        case WSManAction.delete: return "Delete"
        default:
            if !resourceURI.isEmpty, action.hasPrefix(resourceURI + "/") {
                return String(action.dropFirst(resourceURI.count + 1))
            }
            return action.split(separator: "/").last.map(String.init) ?? action
        }
    }

    private mutating func perform(
        method: String, action: String, resource: WSManResource, instances available: [FirmwareInstance],
        envelope: WSManEnvelope, call: inout FirmwareCall
    ) -> Outcome {
        let className = resource.className
        switch method {
        case "Get":
            let selectors = envelope.header.selectors
            if let match = available.first(where: { Self.matches($0, selectors) }) { return .instance(match) }
            return .fault(WSManFault(code: "a:Sender", subcode: "c:InvalidSelectors",
                                     reason: "The selectors for the resource are not valid.",
                                     detail: "http://schemas.dmtf.org/wbem/wsman/1/wsman/faultDetail/InsufficientSelectors",
                                     action: WSManAction.wsmanFault))
        case "Enumerate":
            return enumerate(className, items: available, envelope: envelope)
        case "Pull":
            return pull(envelope, call: &call)
        case "Put" where className == "AMT_BootSettingData":
            return putBootSettings(envelope, call: &call)
        case "RequestPowerStateChange" where className == "CIM_PowerManagementService" && action == resource.methodAction(method):
            return requestPowerStateChange(envelope, call: &call)
        case "SetBootConfigRole" where className == "CIM_BootService" && action == resource.methodAction(method):
            return setBootConfigRole(envelope, call: &call)
        case "ChangeBootOrder" where className == "CIM_BootConfigSetting" && action == resource.methodAction(method):
            return changeBootOrder(envelope, call: &call)
        default:
            if let outcome = performMaintenance(method: method, action: action, resource: resource, envelope: envelope, call: &call) {
                return outcome
            }
            if let outcome = performNetwork(method: method, action: action, resource: resource, envelope: envelope, call: &call) {
                return outcome
            }
            return .fault(WSManFault(code: "a:Sender", subcode: "b:ActionNotSupported",
                                     reason: "The action is not supported by the service.",
                                     detail: action, action: WSManAction.addressingFault))
        }
    }

    /// Selectors naming a property the instance has must match its value; others are ignored.
    static func matches(_ instance: FirmwareInstance, _ selectors: [WSManSelector]) -> Bool {
        selectors.allSatisfy { selector in
            guard let value = instance.text(selector.name) else { return true }
            return value == selector.value
        }
    }

    private mutating func render(
        _ outcome: Outcome, action: String, resourceURI: String, method: String, relatesTo: String?,
        call: inout FirmwareCall
    ) -> (Int, String) {
        let messageID = nextMessageID()
        switch outcome {
        case .instance(let instance):
            return (200, WSManReplyBuilder.envelope(
                action: WSManAction.response(for: action), relatesTo: relatesTo, messageID: messageID,
                resourceURI: resourceURI, bodyNamespace: instance.namespaceURI,
                bodyXML: instance.xml(prefix: "g", declareNamespace: false)))
        case .enumeration(let context):
            return (200, WSManReplyBuilder.enumerateResponse(
                context: context, resourceURI: resourceURI, relatesTo: relatesTo, messageID: messageID))
        case .optimizedEnumeration(let items, let context, let endOfSequence):
            return (200, WSManReplyBuilder.enumerateResponse(
                context: context, itemsXML: items.map { $0.xml(prefix: "h", declareNamespace: true) }, endOfSequence: endOfSequence,
                resourceURI: resourceURI, relatesTo: relatesTo, messageID: messageID))
        case .items(let items, let nextContext):
            return (200, WSManReplyBuilder.pullResponse(
                itemsXML: items.map { $0.xml(prefix: "h", declareNamespace: true) }, resourceURI: resourceURI, relatesTo: relatesTo,
                messageID: messageID, endOfSequence: nextContext == nil, nextContext: nextContext))
        case .output(let returnValue):
            call.returnValue = returnValue
            return (200, WSManReplyBuilder.envelope(
                action: action + "Response", relatesTo: relatesTo, messageID: messageID,
                resourceURI: resourceURI, bodyNamespace: resourceURI,
                bodyXML: "<g:\(method)_OUTPUT><g:ReturnValue>\(returnValue)</g:ReturnValue></g:\(method)_OUTPUT>"))
        case .outputXML(let returnValue, let bodyXML):
            call.returnValue = returnValue
            return (200, WSManReplyBuilder.envelope(
                action: action + "Response", relatesTo: relatesTo, messageID: messageID,
                resourceURI: resourceURI, bodyNamespace: resourceURI,
                bodyXML: "<g:\(method)_OUTPUT>\(bodyXML)<g:ReturnValue>\(returnValue)</g:ReturnValue></g:\(method)_OUTPUT>"))
        case .empty:
            return (200, WSManReplyBuilder.envelope(
                action: WSManAction.response(for: action), relatesTo: relatesTo, messageID: messageID,
                resourceURI: resourceURI, bodyXML: ""))
        case .fault(let fault):
            call.fault = fault.subcode ?? fault.code
            let status = fault.codeName == "Receiver" ? 500 : 400
            return (status, WSManReplyBuilder.fault(fault, relatesTo: relatesTo, messageID: messageID))
        }
    }
}
