import WSMan

/// `CIM_PowerManagementService.RequestPowerStateChange` and the platform's power transitions.
extension FirmwareEngine {
    /// DMTF "Invalid parameter" for `RequestPowerStateChange`.
    static let invalidParameter = 5
    /// Refused in the current state (MPS shows it as `NOT_READY`).
    static let notReady = 2

    mutating func requestPowerStateChange(_ envelope: WSManEnvelope, call: inout FirmwareCall) -> Outcome {
        let input = envelope.body.child("RequestPowerStateChange_INPUT")
        let text = input?.child("PowerState")?.trimmedText ?? ""
        call.inputs["PowerState"] = text
        guard let requested = Int(text), PowerState(rawValue: requested) != nil else {
            return .output(returnValue: Self.invalidParameter)
        }
        guard state.availablePowerStates.contains(requested) else {
            return .output(returnValue: Self.notReady)
        }
        applyPowerChange(requested)
        return .output(returnValue: 0)
    }

    /// Moves the platform to the result of an accepted power request.
    mutating func applyPowerChange(_ requested: Int) {
        switch requested {
        case 2:
            if state.powerState == 3 || state.powerState == 4 {
                // Resume from sleep: no POST, boot options stay pending.
                state.powerState = 2
                state.osRunning = true
            } else {
                boot()
            }
        case 5, 9, 10, 14, 15, 16:
            boot()
        case 4, 3:
            state.powerState = requested
            state.osRunning = false
        case 7:
            state.powerState = 7
            state.osRunning = false
        case 6, 8, 12, 13:
            state.powerState = 8
            state.osRunning = false
        default:
            // 11/17 diagnostic interrupts: the platform keeps running.
            break
        }
    }

    /// A firmware-initiated boot: goes where the boot options say and consumes the one-time
    /// options (AMT clears them after use: `OptionsCleared=true`, forced source and a
    /// single-use role are dropped).
    mutating func boot() {
        let target = state.nextBootTarget
        state.powerState = 2
        state.lastBoot = target
        state.bootCount += 1
        switch target {
        case .normal: state.osRunning = true
        case .forcedSource(let id): state.osRunning = id == BootSource.hardDrive.instanceID
        case .biosSetup, .ider: state.osRunning = false
        }
        state.bootSettings = state.bootSettings.cleared
        state.bootOrderSource = nil
        if state.bootConfigRole == BootConfigRole.isNextSingleUse.rawValue || state.bootConfigRole == BootConfigRole.isNext.rawValue {
            state.bootConfigRole = nil
        }
    }
}
