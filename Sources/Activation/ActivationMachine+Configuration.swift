import WSMan

/// The configuration written after activation and before CIRA (shared/reference/rps.md §6.9):
/// network (wired port, Wi-Fi port service, Wi-Fi profiles in priority order, 802.1x), then the
/// redirection features and user consent. Unlike RPS, every failure is kept: the activation
/// still goes on to CIRA (so the device stays reachable) but its result is an error naming the
/// failed parts, never "success". A failure skips the rest of its phase only.
extension ActivationStep {
    /// A step of the network or features phase (failures there do not stop the activation).
    var isConfiguration: Bool {
        switch self {
        case .enumerateEthernetPorts, .pullEthernetPorts, .putWiredPort, .wiredIEEE8021x, .readWiFiPortService,
             .putWiFiPortService, .enableWiFiPort, .addWiFiSettings, .readRedirection, .readOptIn, .readKVM,
             .setRedirectionState, .setKVMState, .putRedirection, .putOptIn:
            return true
        default:
            return false
        }
    }

    /// The phase a configuration step belongs to.
    var isNetwork: Bool {
        switch self {
        case .enumerateEthernetPorts, .pullEthernetPorts, .putWiredPort, .wiredIEEE8021x, .readWiFiPortService,
             .putWiFiPortService, .enableWiFiPort, .addWiFiSettings:
            return true
        default:
            return false
        }
    }
}

extension ActivationMachine {
    /// After the device is stored (and, ACM, the MEBx password set): network, else features, else CIRA.
    mutating func startNetwork(completed: ActivationStepResult?) -> Transition {
        guard plan.network != nil else { return startFeatures(completed: completed) }
        return next(completed, .enumerateEthernetPorts, .enumerate(AMTNetworkRequests.ethernetPortSettings, messageID: nextID()))
    }

    mutating func startFeatures(completed: ActivationStepResult?, skipped: [ActivationStepResult] = []) -> Transition {
        guard plan.features != nil else { return startCIRA(completed: completed, skipped: skipped) }
        var transition = next(completed, .readRedirection, .get(RedirectionFeatures.redirectionService, messageID: nextID()))
        transition.skipped = skipped
        return transition
    }

    /// A reply (or failure) to a configuration step.
    mutating func receivedConfiguration(_ step: ActivationStep, _ reply: Result<WSManEnvelope, ActivationCallFailure>) -> Transition {
        let envelope: WSManEnvelope
        switch reply {
        case .failure(let failure):
            return configurationFailed(step, failure.message)
        case .success(let value):
            envelope = value
        }
        if let fault = envelope.fault {
            if step == .readKVM {
                kvmSAP = nil
                return afterFeatureReads(result(step, true, "no KVM on this platform"))
            }
            return configurationFailed(step, "fault \(fault.subcode ?? fault.code): \(fault.reason)")
        }
        guard let network = plan.network else { return advanceFeatures(after: step, envelope) }
        switch step {
        case .enumerateEthernetPorts:
            guard let context = envelope.enumerationContext else { return configurationFailed(step, "no EnumerationContext") }
            return next(result(step, true, "context \(context)"), .pullEthernetPorts,
                        .pull(AMTNetworkRequests.ethernetPortSettings, context: context, messageID: nextID()))
        case .pullEthernetPorts:
            let items = envelope.pullItems
            wirelessPort = AMTNetworkRequests.wireless(items)
            guard let wired = AMTNetworkRequests.wired(items) else {
                return configurationFailed(step, "Device has no wired configuration settings")
            }
            if !network.dhcpEnabled, !network.wiredIPSync, (wired.string("IPAddress") ?? "").isEmpty {
                return configurationFailed(.putWiredPort, "a static address without IP sync needs IPAddress and SubnetMask in AMT (maintenance syncip)")
            }
            let done = result(step, true, wirelessPort == nil ? "wired" : "wired and wireless")
            return next(done, .putWiredPort, AMTNetworkRequests.putWired(
                wired, dhcp: network.dhcpEnabled, ipSync: network.wiredIPSync, messageID: nextID()))
        case .putWiredPort:
            report.Network = "Wired Network Configured"
            let done = result(step, true, network.dhcpEnabled ? "DHCP, IP sync" : "static, IP sync \(network.wiredIPSync ? "on" : "off")")
            var skipped: [ActivationStepResult] = []
            if let wired8021x = network.wiredIEEE8021x {
                skipped.append(result(.wiredIEEE8021x, false, "\(wired8021x.name): \(wired8021x.reason)"))
                configurationFailures.append("wired 802.1x \(wired8021x.name) not written")
                report.Network = "Wired Network Configured. Wired 802.1x not configured"
            }
            guard network.wifi != nil else { return startFeatures(completed: done, skipped: skipped) }
            guard wirelessPort != nil else {
                skipped.append(result(.readWiFiPortService, false, "the device has no wireless port"))
                configurationFailures.append("no wireless port")
                report.Network = (report.Network ?? "") + ". Wireless not configured: no wireless port"
                return startFeatures(completed: done, skipped: skipped)
            }
            var transition = next(done, .readWiFiPortService, .get(.amtWiFiPortConfigurationService, messageID: nextID()))
            transition.skipped = skipped
            return transition
        case .readWiFiPortService:
            guard let service = envelope.instance(), let wifi = network.wifi else {
                return configurationFailed(step, "no AMT_WiFiPortConfigurationService")
            }
            return next(result(step, true, "read"), .putWiFiPortService, AMTNetworkRequests.putWiFiPortService(
                service, localProfileSync: wifi.localProfileSync, messageID: nextID()))
        case .putWiFiPortService:
            let sync = network.wifi?.localProfileSync == true
            return next(result(step, true, "local profile sync \(sync ? "on" : "off")"), .enableWiFiPort,
                        AMTNetworkRequests.enableWiFiPort(messageID: nextID()))
        case .enableWiFiPort:
            guard returnValue(envelope, "RequestStateChange") == 0 else {
                return configurationFailed(step, "returned \(returnText(envelope, "RequestStateChange"))")
            }
            let done = result(step, true, "RequestedState 32769")
            let skipped = (network.wifi?.skipped ?? []).map { result(.addWiFiSettings, false, "\($0.name): \($0.reason)") }
            for entry in network.wifi?.skipped ?? [] { configurationFailures.append("Wi-Fi \(entry.name) not written") }
            wifiQueue = network.wifi?.profiles ?? []
            var transition = nextWiFiProfile(done)
            transition.skipped = skipped + transition.skipped
            return transition
        case .addWiFiSettings:
            let written = wifiQueue.removeFirst()
            let code = returnValue(envelope, "AddWiFiSettings")
            let label = "\(written.elementName) (SSID \(written.ssid), priority \(written.priority))"
            if code == 0 { return nextWiFiProfile(result(step, true, "\(label): ReturnValue 0")) }
            configurationFailures.append("Wi-Fi \(written.elementName) refused")
            return nextWiFiProfile(result(step, false, "\(label): AddWiFiSettings returned \(returnText(envelope, "AddWiFiSettings"))"))
        default:
            return advanceFeatures(after: step, envelope)
        }
    }

    /// The next Wi-Fi profile, or the end of the network phase.
    mutating func nextWiFiProfile(_ done: ActivationStepResult) -> Transition {
        guard let profile = wifiQueue.first else {
            let failedWiFi = configurationFailures.contains { $0.hasPrefix("Wi-Fi") }
            report.Network = (report.Network ?? "") + (failedWiFi ? ". Wireless partly configured" : ". Wireless Configured")
            return startFeatures(completed: done)
        }
        return next(done, .addWiFiSettings, .addWiFiSettings(profile, messageID: nextID()))
    }

    private mutating func advanceFeatures(after step: ActivationStep, _ envelope: WSManEnvelope) -> Transition {
        guard let wanted = plan.features else { return configurationFailed(step, "no features plan") }
        switch step {
        case .readRedirection:
            guard let instance = envelope.instance() else { return configurationFailed(step, "no AMT_RedirectionService") }
            redirection = instance
            return next(result(step, true, "EnabledState \(instance.string("EnabledState") ?? "?")"), .readOptIn,
                        .get(RedirectionFeatures.optInService, messageID: nextID()))
        case .readOptIn:
            guard let instance = envelope.instance() else { return configurationFailed(step, "no IPS_OptInService") }
            optIn = instance
            return next(result(step, true, "OptInRequired \(instance.string("OptInRequired") ?? "?")"), .readKVM,
                        .get(RedirectionFeatures.kvmService, messageID: nextID()))
        case .readKVM:
            kvmSAP = envelope.instance()
            return afterFeatureReads(result(step, true, "EnabledState \(kvmSAP?.string("EnabledState") ?? "?")"))
        case .setRedirectionState, .setKVMState:
            guard returnValue(envelope, "RequestStateChange") == 0 else {
                return configurationFailed(step, "returned \(returnText(envelope, "RequestStateChange"))")
            }
            let done = result(step, true, step == .setRedirectionState
                              ? "RequestedState \(wanted.redirectionEnabledState)" : "RequestedState \(wanted.kvmRequestedState)")
            return nextFeatureWrite(done, after: step)
        case .putRedirection:
            return nextFeatureWrite(result(step, true, "ListenerEnabled \(wanted.listenerEnabled)"), after: step)
        case .putOptIn:
            return nextFeatureWrite(result(step, true, "OptInRequired \(wanted.optInRequired)"), after: step)
        default:
            return configurationFailed(step, "unexpected reply")
        }
    }

    /// Compares what the device has with the profile; a device without KVM cannot get KVM.
    private mutating func afterFeatureReads(_ done: ActivationStepResult) -> Transition {
        guard let wanted = plan.features else { return startCIRA(completed: done) }
        if wanted.kvm, kvmSAP == nil {
            configurationFailures.append("KVM")
            report.Features = "Failed: the profile enables KVM but the device has no KVM"
            return startCIRA(completed: done, skipped: [result(.setKVMState, false, "the device has no CIM_KVMRedirectionSAP")])
        }
        return nextFeatureWrite(done, after: .readKVM)
    }

    /// The next feature write that changes something, in RPS's order, or CIRA.
    private mutating func nextFeatureWrite(_ done: ActivationStepResult, after step: ActivationStep) -> Transition {
        guard let wanted = plan.features, let redirection, let optIn else { return startCIRA(completed: done) }
        let current = RedirectionFeatures(redirection: redirection, kvm: kvmSAP, optIn: optIn)
        let order: [ActivationStep] = [.setRedirectionState, .setKVMState, .putRedirection, .putOptIn]
        let start = order.firstIndex(of: step).map { $0 + 1 } ?? 0
        for candidate in order[start...] {
            switch candidate {
            case .setRedirectionState where current.redirectionEnabledState != wanted.redirectionEnabledState:
                return next(done, candidate, wanted.redirectionStateChange(messageID: nextID()))
            case .setKVMState where kvmSAP != nil && current.kvm != wanted.kvm:
                return next(done, candidate, wanted.kvmStateChange(messageID: nextID()))
            case .putRedirection where current.redirectionEnabledState != wanted.redirectionEnabledState
                || (redirection.bool("ListenerEnabled") ?? false) != wanted.listenerEnabled:
                return next(done, candidate, wanted.putRedirection(redirection, messageID: nextID()))
            case .putOptIn where current.optInRequired != wanted.optInRequired:
                return next(done, candidate, wanted.putOptIn(optIn, messageID: nextID()))
            default:
                continue
            }
        }
        report.Features = "Configured"
        return startCIRA(completed: done)
    }

    /// A configuration step failed: recorded, the rest of its phase skipped, the activation goes on.
    private mutating func configurationFailed(_ step: ActivationStep, _ detail: String) -> Transition {
        configurationFailures.append(step.rawValue)
        let done = result(step, false, detail)
        if step.isNetwork {
            report.Network = "Failed: \(step.rawValue): \(detail)"
            return startFeatures(completed: done)
        }
        report.Features = "Failed: \(step.rawValue): \(detail)"
        return startCIRA(completed: done)
    }
}
