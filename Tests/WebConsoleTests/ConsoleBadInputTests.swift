import Foundation
import Testing
import TestSupport
import TetherJSON
@testable import TetherCore

/// The bad inputs in headless Chromium: a wrong password, invalid form values (the
/// page's own checks and the host's field errors, each at its field), a session that expires
/// mid-use, an unknown path, and the host stopping while the page is open.
extension ConsoleTests {
@Suite struct BadInput {
    @Test func badInputsGetClearAnswersInTheBrowser() async throws {
        let bed = try await ConsoleTestHost.start()
        let chrome = try await ChromeDriver.start()
        let browser = try await chrome.session()
        let shots = try screenshotDirectory("bad-input")
        var stopped = false
        defer {
            let alreadyStopped = stopped
            Task {
                await browser.quit()
                chrome.stop()
                if !alreadyStopped { await bed.stop() }
            }
        }
        func shot(_ name: String) async throws { try await browser.screenshot(to: shots.appendingPathComponent("\(name).png")) }
        func errorAt(_ field: String) async throws -> String { try await browser.text("[data-error-for=\"\(field)\"]") }

        // An unknown path under / is the console's 404 page, not a stack trace.
        try await browser.open(bed.base + "/no/such/page")
        #expect(try await browser.text("h1") == "Page not found")
        try await shot("01-not-found")

        // A wrong password.
        try await browser.open(bed.base + "/")
        try await browser.logIn(password: "wrong-password")
        try await browser.waitForText("#login-error", containing: "Incorrect Username and/or Password!")
        try await shot("02-wrong-password")
        try await browser.logIn(password: consoleAdminPassword)
        _ = try await browser.element("#nav-devices")

        // Invalid values: the page's checks, each at its field, nothing sent.
        try await browser.open(bed.base + "/#/ciraconfigs/new")
        try await browser.fill([
            ("#cira-configName", "bad name"), ("#cira-mpsServerAddress", "300.1.1.1"), ("#cira-mpsPort", "80"),
            ("#cira-username", "ab"), ("#cira-password", "seventeen-chars!!"), ("#cira-commonName", "not-an-ip"),
        ])
        try await browser.click("#cira-submit")
        try await browser.waitForText("[data-error-for=\"configName\"]", containing: "no spaces")
        #expect(try await errorAt("mpsServerAddress").contains("requires IPV4 server address"))
        #expect(try await errorAt("mpsPort").contains("between 1024 and 49151"))
        #expect(try await errorAt("username").contains("length should be in between 5 to 16"))
        #expect(try await errorAt("password").contains("between 1 to 16"))
        #expect(try await errorAt("commonName").contains("should be an IP address"))
        #expect(try await browser.execute("return document.querySelector('#cira-configName').getAttribute('aria-invalid');") == "true")
        try await shot("03-form-errors")
        let none = try await bed.host.bus.run("ciraconfigs.list", args: ["$count": true])
        #expect(none["totalCount"] == 0)

        // A value only the host can judge (an IPv6 address inet_pton refuses): its error is
        // shown at its field too.
        try await browser.click("#cira-format-4")
        try await browser.fill([
            ("#cira-configName", "v6config"), ("#cira-mpsServerAddress", "1:2:3:4:5:6:7:8:9"), ("#cira-mpsPort", "4433"),
            ("#cira-username", "standalone"), ("#cira-password", "G@ppm0ym"), ("#cira-commonName", "127.0.0.1"),
        ])
        try await browser.click("#cira-submit")
        try await browser.waitForText("[data-error-for=\"mpsServerAddress\"]", containing: "serverAddressFormat 4 requires IPV6 server address")
        #expect(try await errorAt("configName") == "")
        try await shot("04-server-field-error")

        // Corrected, it is created; then edited (the form sends the stored version).
        try await browser.fill("#cira-mpsServerAddress", "::1")
        try await browser.click("#cira-submit")
        try await browser.waitForText("#flash", containing: "created")
        try await browser.click("a[aria-label=\"Edit v6config\"]")
        try await browser.waitUntil("the edit form", "return document.querySelector('#cira-mpsServerAddress') && document.querySelector('#cira-mpsServerAddress').value === '::1';")
        #expect(try await browser.element("#cira-format-4").property("checked") == true)
        try await browser.fill("#cira-mpsPort", "4434")
        try await browser.click("#cira-submit")
        try await browser.waitForText("#flash", containing: "saved")
        let edited = try await bed.host.bus.run("ciraconfigs.get", args: ["configName": "v6config"])
        #expect(edited["mpsPort"] == 4434 && edited["version"] == "2", "\(edited)")

        // Domains: a PFX with the wrong password is refused at the password field; the right one
        // is stored and its expiry listed.
        let pfx = try await Self.provisioningPFX(commonName: "vprodemo.com", password: "Pfx-P@ss1")
        defer { try? FileManager.default.removeItem(atPath: pfx.deletingLastPathComponent().path) }
        try await browser.open(bed.base + "/#/domains/new")
        try await browser.fill([("#domain-profileName", "vprodemo"), ("#domain-domainSuffix", "vprodemo.com"), ("#domain-provisioningCertPassword", "wrong")])
        #expect(try await browser.unlabelledControls() == [])
        try await browser.element("#domain-provisioningCert").type(pfx.path)
        try await browser.click("#domain-submit")
        try await browser.waitForText("[data-error-for=\"provisioningCertPassword\"]", containing: " ")
        #expect((try? await bed.host.bus.run("domains.get", args: ["profileName": "vprodemo"])) == nil)
        try await browser.fill("#domain-provisioningCertPassword", "Pfx-P@ss1")
        try await browser.click("#domain-submit")
        try await browser.waitForText("#flash", containing: "created")
        let expiry = try await browser.waitForText("#domain-table", containing: "vprodemo.com")
        #expect(expiry.contains(String(Calendar.current.component(.year, from: Date().addingTimeInterval(200 * 86_400)))))
        try await shot("05-domains")

        // The session expires mid-use: the next check sends the page to the login form, saying why.
        try await browser.open(bed.base + "/#/devices")
        _ = try await browser.element("#devices-summary")
        try await browser.addCookie(name: "tether_console", value: try bed.expiredToken())
        try await browser.waitForText("#login-message", containing: "expired", timeout: .seconds(20))
        try await shot("06-session-expired")
        // …and logs in again with the keyboard alone: Tab to the password, Enter to submit.
        try await browser.element("#login-username").fill("admin\u{E004}")
        #expect(try await browser.execute("return document.activeElement.id;") == "login-password")
        try await browser.element("#login-password").type(consoleAdminPassword + "\u{E007}")
        try await browser.waitForText("#devices-summary", containing: "devices")

        // The host stops while the page is open: a banner, and the page stays.
        await bed.stop()
        stopped = true
        try await browser.waitForText("#banner", containing: "Lost contact", timeout: .seconds(20))
        #expect(try await browser.execute("return document.querySelector('#banner').hidden;") == false)
        #expect(try await browser.text("#nav-devices") == "Devices")
        try await shot("07-host-stopped")
    }

    /// A provisioning certificate for `commonName` valid for 300 days, as a .pfx file the test
    /// can upload (openssl CLI: one self-signed certificate and its key).
    static func provisioningPFX(commonName: String, password: String) async throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("console-pfx-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let key = directory.appendingPathComponent("key.pem").path, cert = directory.appendingPathComponent("cert.pem").path
        let pfx = directory.appendingPathComponent("provisioning.pfx")
        for arguments in [
            ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "300", "-subj", "/CN=\(commonName)"],
            ["pkcs12", "-export", "-inkey", key, "-in", cert, "-out", pfx.path, "-passout", "pass:\(password)"],
        ] {
            let result = try await ChildProcess.run("/usr/bin/openssl", arguments, timeout: .seconds(60))
            try #require(result.status == 0, "openssl \(arguments[0]): \(result.stderr)")
        }
        return pfx
    }
}
}
