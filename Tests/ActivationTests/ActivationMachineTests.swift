import Activation
import APF
@testable import AMTSimulator
import Foundation
import Testing
import WSMan

/// Drives the pure state machine against the simulator's firmware in-process (no sockets):
/// each request goes through digest auth and the firmware's HTTP handling, as over RPC.
struct MachineDriver {
    let firmware: AMTFirmware
    var credentials: DigestCredentials
    var log: [ActivationStepResult] = []
    var saves = 0
    var failSave: String?

    init(_ firmware: AMTFirmware) {
        self.firmware = firmware
        let setup = firmware.provisioning
        credentials = DigestCredentials(username: setup?.localAccount ?? "admin", password: setup?.localPassword ?? "")
    }

    mutating func run(_ plan: ActivationPlan) -> ActivationOutcome {
        var machine = ActivationMachine(plan: plan)
        var transition = machine.start()
        for _ in 0..<100 {
            if let done = transition.completed { log.append(done) }
            if transition.switchToAdminCredentials {
                let challenge = credentials.challenge
                credentials = DigestCredentials(username: "admin", password: plan.adminPassword)
                if let challenge { credentials.accept(challenge) }
            }
            switch transition.action {
            case .call(_, let request): transition = machine.received(call(request))
            case .saveDevice:
                saves += 1
                transition = machine.deviceSaved(error: failSave)
            case .finish(let outcome): return outcome
            }
        }
        Issue.record("the machine did not finish in 100 transitions")
        return ActivationOutcome(succeeded: false, activated: false, report: ActivationStatusReport())
    }

    mutating func call(_ request: WSManRequest) -> Result<WSManEnvelope, ActivationCallFailure> {
        for _ in 0..<3 {
            let http = HTTPRequestMessage.wsmanPost(host: "x:16992", body: request.utf8, authorization: credentials.authorization())
            var parser = HTTPResponseParser()
            parser.append(firmware.serveRaw(http.encode()))
            guard let response = try? parser.nextResponse() else { return .failure(ActivationCallFailure("no HTTP reply")) }
            if response.status == 401, let challenge = try? DigestChallenge.find(in: response.headers) {
                credentials.accept(challenge)
                continue
            }
            guard let envelope = try? WSManEnvelope(bytes: response.body) else { return .failure(ActivationCallFailure("bad reply")) }
            return .success(envelope)
        }
        return .failure(ActivationCallFailure("Unable to authenticate with AMT"))
    }
}

func unprovisionedFirmware(dnsSuffix: String = "example.com", certHashes: [String] = []) -> AMTFirmware {
    var configuration = AMTFirmwareConfiguration(uuid: AMTUUID(guidString: UUID().uuidString)!, password: "unused-Passw0rd!")
    configuration.provisioning = FirmwareProvisioning(localPassword: "lsa-\(UUID().uuidString.prefix(8))", dnsSuffix: dnsSuffix, certHashes: certHashes)
    return AMTFirmware(configuration: configuration)
}

func ciraPlan(root: String = Data("root certificate".utf8).base64EncodedString()) -> CIRAWritePlan {
    CIRAWritePlan(
        rootCertificate: root,
        server: MPSServerSettings(address: "192.0.2.10", addressFormat: 3, port: 4433, authMethod: 2, username: "admin01",
                                  password: "Mps-P@ssw0rd-123", commonName: "mps.example.com"),
        detectionDomains: ["never-inside.example"])
}

@Suite("Activation state machine (CCM, CIRA write, failures)")
struct ActivationMachineTests {
    @Test("CCM: Setup with the HA1 of the new password, device stored once, CIRA written in RPS's order")
    func clientControlModeWithCIRA() throws {
        let firmware = unprovisionedFirmware()
        var driver = MachineDriver(firmware)
        let plan = ActivationPlan(kind: .clientControl, adminPassword: "N3w-Adm1n!pass", cira: ciraPlan())
        let outcome = driver.run(plan)
        #expect(outcome.succeeded)
        #expect(outcome.activated)
        #expect(outcome.report == ActivationStatusReport(status: "Client control mode.", ciraConnection: "Configured"))
        #expect(driver.saves == 1)
        #expect(driver.log.allSatisfy { $0.ok })
        #expect(driver.log.map(\.step) == [
            .readGeneralSettings, .hostBasedSetup, .saveDevice, .addTrustedRoot, .addMpServer, .enumerateMPS, .pullMPS,
            .addPeriodicPolicy, .addUserInitiatedPolicy, .enumeratePolicyLinks, .pullPolicyLinks, .putPolicyLink, .putPolicyLink,
            .enableUserInitiated, .readEnvironmentDetection, .writeEnvironmentDetection,
        ])
        let setup = try #require(firmware.provisioning)
        #expect(setup.controlMode == 1)
        #expect(setup.adminPasswordDigest == AMTPasswordDigest.hex(username: "admin", realm: firmware.realm, password: "N3w-Adm1n!pass"))
        #expect(setup.mpServers.map(\.settings) == [ciraPlan().server])
        #expect(setup.policies.map(\.name).sorted() == ["Periodic", "User Initiated"])
        #expect(setup.policies.allSatisfy { $0.mpsType == 2 })
        #expect(setup.policies.first { $0.name == "Periodic" }?.tunnelLifeTime == 0)
        #expect(setup.policies.first { $0.name == "User Initiated" }?.tunnelLifeTime == 300)
        #expect(setup.userInitiatedState == 32771)
        #expect(setup.detectionStrings == ["never-inside.example"])
        #expect(setup.ciraTarget?.server.commonName == "mps.example.com")
    }

    @Test("after Setup the local account no longer authenticates; admin with the new password does")
    func credentialsSwitch() {
        let firmware = unprovisionedFirmware()
        var driver = MachineDriver(firmware)
        _ = driver.run(ActivationPlan(kind: .clientControl, adminPassword: "N3w-Adm1n!pass"))
        var stale = MachineDriver(firmware)
        stale.credentials = DigestCredentials(username: "$$OsAdmin", password: firmware.provisioning!.localPassword)
        #expect((try? stale.call(.get(.amtGeneralSettings, messageID: "1")).get()) == nil)
        var admin = MachineDriver(firmware)
        admin.credentials = DigestCredentials(username: "admin", password: "N3w-Adm1n!pass")
        #expect((try? admin.call(.get(.amtGeneralSettings, messageID: "1")).get()) != nil)
    }

    @Test("a failed CIRA step makes the result an error, with the device already activated and stored")
    func ciraFailureIsNotSuccess() {
        let firmware = unprovisionedFirmware()
        var driver = MachineDriver(firmware)
        var plan = ActivationPlan(kind: .clientControl, adminPassword: "N3w-Adm1n!pass", cira: ciraPlan())
        plan.cira?.rootCertificate = "%%% not base64 %%%"
        let outcome = driver.run(plan)
        #expect(!outcome.succeeded)
        #expect(outcome.activated)
        #expect(driver.saves == 1)
        #expect(outcome.report.Status == "Client control mode.")
        #expect(outcome.report.CIRAConnection == "Failed to add trusted root certificate")
        #expect(driver.log.last?.step == .addTrustedRoot)
        #expect(driver.log.last?.ok == false)
    }

    @Test("a device already in CCM refuses Setup: activation fails before anything is stored")
    func setupRefused() {
        let firmware = unprovisionedFirmware()
        var first = MachineDriver(firmware)
        _ = first.run(ActivationPlan(kind: .clientControl, adminPassword: "N3w-Adm1n!pass"))
        var second = MachineDriver(firmware)
        second.credentials = DigestCredentials(username: "admin", password: "N3w-Adm1n!pass")
        let outcome = second.run(ActivationPlan(kind: .clientControl, adminPassword: "Other-P@ssw0rd1"))
        #expect(!outcome.succeeded)
        #expect(!outcome.activated)
        #expect(second.saves == 0)
        #expect(outcome.report.Status == "Failed to activate in client control mode.")
    }

    @Test("a store failure after activation ends with an error naming it")
    func saveFailure() {
        var driver = MachineDriver(unprovisionedFirmware())
        driver.failSave = "disk full"
        let outcome = driver.run(ActivationPlan(kind: .clientControl, adminPassword: "N3w-Adm1n!pass", cira: ciraPlan()))
        #expect(!outcome.succeeded)
        #expect(outcome.activated)
        #expect(outcome.report.Status?.contains("disk full") == true)
    }

    @Test("re-key of an activated device: SetAdminACLEntryEx with the raw HA1, then the new password works")
    func rekey() {
        let firmware = unprovisionedFirmware()
        var first = MachineDriver(firmware)
        _ = first.run(ActivationPlan(kind: .clientControl, adminPassword: "N3w-Adm1n!pass"))
        var again = MachineDriver(firmware)
        again.credentials = DigestCredentials(username: "admin", password: "N3w-Adm1n!pass")
        let outcome = again.run(ActivationPlan(kind: .rekey, adminPassword: "R0tated-P@ss-22"))
        #expect(outcome.succeeded)
        #expect(firmware.provisioning?.adminPasswordDigest
            == AMTPasswordDigest.hex(username: "admin", realm: firmware.realm, password: "R0tated-P@ss-22"))
    }

    @Test("replies out of turn are refused without a crash")
    func outOfTurn() {
        var machine = ActivationMachine(plan: ActivationPlan(kind: .clientControl, adminPassword: "x"))
        let stray = machine.deviceSaved(error: nil)
        guard case .finish(let outcome) = stray.action else { Issue.record("expected finish"); return }
        #expect(!outcome.succeeded)
    }
}

func AMTPasswordDigestHex(realm: String, password: String) -> String {
    AMTPasswordDigest.hex(username: "admin", realm: realm, password: password)
}
