import WSMan

/// `AMT_BootSettingData` Put, `CIM_BootService.SetBootConfigRole`, `CIM_BootConfigSetting.ChangeBootOrder`.
extension FirmwareEngine {
    /// The only boot configuration AMT has.
    static let bootConfigurationInstanceID = "Intel(r) AMT: Boot Configuration 0"
    /// Boot sources `ChangeBootOrder` accepts.
    static let bootSources = [
        BootSource.hardDrive.instanceID, BootSource.cdDVD.instanceID, BootSource.pxe.instanceID,
    ]

    mutating func putBootSettings(_ envelope: WSManEnvelope, call: inout FirmwareCall) -> Outcome {
        guard let element = envelope.body.child("AMT_BootSettingData") else {
            return .fault(Self.invalidRepresentation("The Put body does not contain AMT_BootSettingData."))
        }
        let instance = WSManInstance(element: element)
        for property in instance.properties {
            call.inputs[property.name] = property.value.strings.joined(separator: ",")
        }
        if let bad = state.bootSettings.apply(instance) {
            return .fault(Self.invalidRepresentation("Invalid value for \(bad)."))
        }
        return .instance(bootSettingDataInstance)
    }

    mutating func setBootConfigRole(_ envelope: WSManEnvelope, call: inout FirmwareCall) -> Outcome {
        let input = envelope.body.child("SetBootConfigRole_INPUT")
        let instanceID = Self.selector("InstanceID", in: input?.child("BootConfigSetting"))
        let roleText = input?.child("Role")?.trimmedText ?? ""
        call.inputs["Role"] = roleText
        call.inputs["BootConfigSetting"] = instanceID ?? ""
        guard instanceID == Self.bootConfigurationInstanceID else { return .output(returnValue: 4) }
        guard let role = Int(roleText), BootConfigRole(rawValue: role) != nil else { return .output(returnValue: 5) }
        state.bootConfigRole = role
        return .output(returnValue: 0)
    }

    mutating func changeBootOrder(_ envelope: WSManEnvelope, call: inout FirmwareCall) -> Outcome {
        let input = envelope.body.child("ChangeBootOrder_INPUT")
        guard let sourceElement = input?.child("Source") else {
            call.inputs["Source"] = ""
            state.bootOrderSource = nil
            return .output(returnValue: 0)
        }
        let source = Self.selector("InstanceID", in: sourceElement) ?? ""
        call.inputs["Source"] = source
        guard Self.bootSources.contains(source) else { return .output(returnValue: 5) }
        state.bootOrderSource = source
        return .output(returnValue: 0)
    }

    /// The value of a selector inside an endpoint reference element.
    static func selector(_ name: String, in reference: XMLElementNode?) -> String? {
        guard let set = reference?.firstDescendant(named: "SelectorSet") else { return nil }
        return WSManSelector.parse(selectorSet: set).first { $0.name == name }?.value
    }

    static func invalidRepresentation(_ detail: String) -> WSManFault {
        WSManFault(code: "a:Sender", subcode: "c:InvalidRepresentation",
                   reason: "The XML content is not valid.", detail: detail, action: WSManAction.wsmanFault)
    }
}
