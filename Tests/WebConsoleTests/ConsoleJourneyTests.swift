import AMTSimulator
import Foundation
import Testing
import TetherJSON
@testable import TetherCore

/// The "Done when" journey in real headless Chromium: log in, create the seed's CIRA
/// config by clicking through its form, create a CCM profile, watch a simulated device come
/// online, open it and run Reset to BIOS, and check the simulator's call log. The device's
/// friendly name is markup, which must render as text. Screenshots of each step are kept
/// under `.build/console-screenshots/journey/`.
extension ConsoleTests {
@Suite struct Journey {
    static let markupName = "<img src=x onerror=alert(1)>"

    @Test func seedWalkthroughInHeadlessChromium() async throws {
        let bed = try await ConsoleTestHost.start(amtCallTimeout: .seconds(4))
        let chrome = try await ChromeDriver.start()
        let browser = try await chrome.session()
        let shots = try screenshotDirectory("journey")
        var simulated: SimulatedDevice?
        defer {
            let device = simulated
            Task {
                await device?.stop()
                await browser.quit()
                chrome.stop()
                await bed.stop()
            }
        }
        func shot(_ name: String) async throws { try await browser.screenshot(to: shots.appendingPathComponent("\(name).png")) }

        // 1. Log in.
        try await browser.open(bed.base + "/")
        try await shot("01-login")
        try await browser.logIn(password: consoleAdminPassword)
        _ = try await browser.element("#nav-devices")
        try await browser.execute("window.__dialogs = 0; window.alert = window.confirm = window.prompt = () => { window.__dialogs += 1; };")

        // 2. CIRA Configs → New → the seed's form.
        try await browser.click("#nav-ciraconfigs")
        try await browser.click("#cira-new")
        #expect(try await browser.element("#cira-mpsPort").property("value") == "4433")
        try await browser.click("#cira-format-3")
        try await browser.fill([
            ("#cira-configName", "ciraconfig1"), ("#cira-mpsServerAddress", "127.0.0.1"), ("#cira-username", "standalone"),
            ("#cira-password", "G@ppm0ym"), ("#cira-commonName", "127.0.0.1"),
        ])
        #expect(try await browser.element("#cira-rootFormat").property("value") == "auto")
        #expect(try await browser.unlabelledControls() == [])
        try await browser.click("#cira-load-root")
        let cert = try await bed.host.bus.run("cert.show")
        let fingerprint = try #require(cert["rootFingerprintSHA256"]?.stringValue).uppercased()
        let shown = try await browser.waitForText("#cira-root-fingerprint", containing: ":")
        #expect(shown.replacingOccurrences(of: ":", with: "") == fingerprint)
        #expect(try await browser.text("#cira-root-subject").hasPrefix("CN="))
        #expect(try await browser.execute("return document.querySelector('#cira-mpsRootCertificate').offsetParent === null;") == true)
        try await browser.resize(width: 1000, height: 1380)
        try await browser.execute("window.scrollTo(0, 0);")
        try await shot("02-cira-form")
        try await browser.resize(width: 1100, height: 760)
        try await browser.click("#cira-submit")
        try await browser.waitForText("#flash", containing: "created")
        try await browser.waitForText("#cira-table", containing: "ciraconfig1")
        try await shot("03-cira-list")
        let config = try await bed.host.bus.run("ciraconfigs.get", args: ["configName": "ciraconfig1"])
        #expect(config["mpsPort"] == 4433 && config["serverAddressFormat"] == 3 && config["username"] == "standalone")
        #expect(config["commonName"] == "127.0.0.1" && config["mpsServerAddress"] == "127.0.0.1")
        #expect(config["mpsRootCertificate"] == cert["mpsRootCertificate"])

        // 3. Profiles → New: CCM forbids choosing consent and a MEBx password.
        try await browser.click("#nav-profiles")
        try await browser.click("#profile-new")
        try await browser.fill("#profile-profileName", "profile1")
        try await browser.click("#profile-activation-acmactivate")
        try await browser.waitForText("#profile-mode-sentence", containing: "without the user's consent")
        #expect(try await browser.element("#profile-userConsent").property("disabled") == false)
        #expect(try await browser.element("#profile-mebxPassword").property("disabled") == false)
        try await browser.click("#profile-activation-ccmactivate")
        try await browser.waitForText("#profile-mode-sentence", containing: "consent")
        #expect(try await browser.element("#profile-userConsent").property("disabled") == true)
        #expect(try await browser.element("#profile-mebxPassword").property("disabled") == true)
        try await browser.click("#profile-amtPassword-generate")
        let generated = try await browser.element("#profile-amtPassword").property("value").stringValue ?? ""
        #expect(generated.count == 16)
        try await browser.fill("#profile-tags", "lab, store-42")
        try await browser.click("#profile-ciraConfigName option[value=\"ciraconfig1\"]")
        #expect(try await browser.unlabelledControls() == [])
        try await shot("04-profile-form")
        try await browser.click("#profile-submit")
        try await browser.waitForText("#flash", containing: "created")
        let profile = try await bed.host.bus.run("profiles.get", args: ["profileName": "profile1"])
        #expect(profile["activation"] == "ccmactivate" && profile["ciraConfigName"] == "ciraconfig1")
        #expect(profile["userConsent"] == "All" && profile["tags"] == ["lab", "store-42"])

        // 4. A simulated device with a markup friendly name connects; the list shows it live.
        let device = try bed.simulatedDevice(number: 1, username: "standalone", password: "G@ppm0ym", amtPassword: "Amt-P@ssw0rd1")
        simulated = device.device
        _ = try await bed.host.bus.run(
            "devices.create",
            args: [
                "guid": .string(device.guid), "hostname": "lab-1", "friendlyName": .string(Self.markupName),
                "tags": ["lab", "<b>bold</b>"], "mpsusername": "standalone", "mpsPassword": "G@ppm0ym", "amtPassword": "Amt-P@ssw0rd1",
            ])
        try await browser.click("#nav-devices")
        try await browser.waitForText("#devices-rows", containing: "lab-1")
        #expect(try await browser.text("#devices-rows .status") == "Disconnected")
        device.device.start()
        try await browser.waitUntil("the device to show as connected", timeout: .seconds(30),
            "return document.querySelector('#devices-rows .status.connected') !== null;")
        #expect(try await browser.text("#devices-rows .device-link") == Self.markupName)
        #expect(try await browser.text("#devices-rows .device-tags").contains("<b>bold</b>"))
        #expect(try await browser.unlabelledControls() == [])
        try await shot("05-devices")
        // Narrow screens: the menu folds above the content.
        try await browser.resize(width: 420, height: 800)
        try await browser.waitUntil("the menu to sit above the content",
            "return document.querySelector('nav.menu').getBoundingClientRect().bottom <= document.querySelector('main.content').getBoundingClientRect().top + 1;")
        try await shot("05-devices-narrow")
        try await browser.resize(width: 1100, height: 760)
        try await browser.fill("#devices-search", "no-such-host")
        try await browser.waitForText("#devices-rows", containing: "No device matches")
        try await browser.fill("#devices-search", "LAB-")
        try await browser.waitForText("#devices-rows", containing: "lab-1")
        try await browser.click("#devices-tag option[value=\"<b>bold</b>\"]")
        try await browser.waitForText("#devices-rows", containing: "lab-1")

        // A power action on the selected devices, with each device's result.
        try await browser.click("#devices-rows .device-select")
        try await browser.click("#devices-bulk-action option[value=\"10\"]")
        try await browser.click("#devices-bulk-run")
        try await browser.waitForText("#confirm-text", containing: "1 device")
        try await browser.click("#confirm-ok")
        try await browser.waitForText("#devices-bulk-notice", containing: "1 of 1 succeeded", timeout: .seconds(30))
        #expect(try await browser.text("#devices-rows .device-result").contains("SUCCESS"))
        #expect(device.firmware.calls.contains { $0.method == "RequestPowerStateChange" && $0.inputs["PowerState"] == "10" })

        // 5. The device page: Reset to BIOS, confirmed.
        try await browser.click("#devices-rows .device-link")
        try await browser.waitForText("#device-powerstate", containing: "On")
        try await browser.waitForText("#device-amtversion", containing: ".")
        #expect(try await browser.text("#device-friendlyname") == Self.markupName)
        #expect(try await browser.unlabelledControls() == [])
        try await browser.waitUntil("the power buttons to be enabled", "return !document.querySelector('#action-reset-to-bios').disabled;")
        for name in ["power-on", "power-off", "reset", "power-cycle", "boot-to-bios", "reset-to-bios"] {
            _ = try await browser.element("#action-\(name)")
        }
        #expect(try await browser.text("#device-more").contains("Soft reset"))
        device.firmware.clearCalls()
        try await browser.click("#action-reset-to-bios")
        try await browser.waitForText("#confirm-text", containing: "Reset to BIOS")
        try await shot("06-confirm")
        try await browser.click("#confirm-ok")
        try await browser.waitForText("#device-outcome", containing: "SUCCESS", timeout: .seconds(30))
        try await shot("07-device")
        let sequence = device.firmware.calls.map { "\($0.method) \($0.resourceClass)" }.filter { call in
            ["AMT_BootSettingData", "CIM_BootService", "CIM_BootConfigSetting", "CIM_PowerManagementService"].contains { call.hasSuffix(" " + $0) }
        }
        #expect(sequence == [
            "Get AMT_BootSettingData", "Put AMT_BootSettingData", "SetBootConfigRole CIM_BootService",
            "ChangeBootOrder CIM_BootConfigSetting", "RequestPowerStateChange CIM_PowerManagementService",
        ])
        #expect(device.firmware.calls.last { $0.method == "RequestPowerStateChange" }?.inputs["PowerState"] == "10")
        #expect(device.firmware.state.lastBoot == .biosSetup)

        // 6. The markup never became an element, and nothing opened a dialog.
        #expect(try await browser.execute("return document.querySelectorAll('img').length;") == 0)
        #expect(try await browser.execute("return window.__dialogs;") == 0)
        #expect(await browser.alertText() == nil)

        // A device that stops answering: the outcome names the step that failed.
        var hung = FirmwareFaults()
        hung.neverAnswer = true
        device.firmware.setFaults(hung)
        try await browser.click("#action-power-off")
        try await browser.click("#confirm-ok")
        let failure = try await browser.waitForText("#device-outcome", containing: "failed", timeout: .seconds(30))
        #expect(failure.contains("failed step: Get AMT_BootSettingData"), "\(failure)")
        try await shot("08-action-failed")
        device.firmware.setFaults(FirmwareFaults())

        // 7. The device disconnects while its page is open.
        await device.device.stop()
        try await browser.waitForText("#device-status", containing: "Disconnected", timeout: .seconds(30))
        try await browser.waitForText("#device-notice", containing: "not connected")
        #expect(try await browser.element("#action-reset-to-bios").property("disabled") == true)
        try await shot("09-device-disconnected")

        // 8. A CIRA config in use by a profile cannot be deleted; the page says why.
        try await browser.click("#nav-ciraconfigs")
        try await browser.click("button[aria-label=\"Delete ciraconfig1\"]")
        try await browser.click("#confirm-ok")
        let refusal = try await browser.waitForText("#cira-notice", containing: "in use")
        #expect(refusal.contains("profile1"))
        try await shot("10-delete-refused")
        #expect((try? await bed.host.bus.run("ciraconfigs.get", args: ["configName": "ciraconfig1"])) != nil)

        // Log out: back to the login form, and the session is gone.
        try await browser.click("#logout")
        try await browser.waitForText("#login-message", containing: "logged out")
        #expect(try await browser.cookies().allSatisfy { $0["name"] != "tether_console" })

        if ProcessInfo.processInfo.environment["TETHER_UPDATE_DOC_SCREENSHOTS"] == "1" {
            let docs = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("docs/screenshots")
            try FileManager.default.createDirectory(at: docs, withIntermediateDirectories: true)
            for (from, to) in [("02-cira-form", "console-cira-config.png"), ("07-device", "console-device.png")] {
                try? FileManager.default.removeItem(at: docs.appendingPathComponent(to))
                try FileManager.default.copyItem(at: shots.appendingPathComponent("\(from).png"), to: docs.appendingPathComponent(to))
            }
        }
    }
}
}
