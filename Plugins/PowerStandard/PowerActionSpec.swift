import TetherPluginKit

/// One Open AMT action code and what it does (shared/reference/mps-api.md §3.1–3.3). A plain value.
struct PowerActionSpec: Sendable {
    var code: Int
    var name: String
    var description: String
    /// Boot options for boot actions (nil for plain power actions).
    var boot: BootOptions?
    /// The DMTF PowerState of the final RequestPowerStateChange.
    var powerState: Int

    struct BootOptions: Sendable {
        var biosSetup = false
        var useIDER = false
        /// 0 floppy, 1 CD.
        var iderBootDevice = 0
        /// A forced boot source for ChangeBootOrder (nil sends the empty input, clearing it).
        var source: String?
    }

    var manifest: JSONValue {
        ["code": .number(code), "name": .string(name), "description": .string(description)]
    }

    static let all: [PowerActionSpec] = [
        plain(2, "power-on", "Power up (from off, sleep or hibernate)"),
        plain(4, "sleep", "Sleep (S3, needs the OS agent)"),
        plain(5, "power-cycle", "Hard power cycle: off, then on"),
        plain(7, "hibernate", "Hibernate (S4, needs the OS agent)"),
        plain(8, "power-off", "Hard power off"),
        plain(10, "reset", "Hard reset (master bus reset)"),
        plain(12, "soft-off", "Graceful OS shutdown (needs the OS agent)"),
        plain(14, "soft-reset", "Graceful OS restart (needs the OS agent)"),
        boot(100, "boot-to-bios", "Power up into BIOS setup", 2, BootOptions(biosSetup: true)),
        boot(101, "reset-to-bios", "Reset into BIOS setup", 10, BootOptions(biosSetup: true)),
        boot(200, "reset-to-ider-floppy", "Reset and boot the IDE-R floppy image", 10, BootOptions(useIDER: true)),
        boot(201, "power-on-to-ider-floppy", "Power up and boot the IDE-R floppy image", 2, BootOptions(useIDER: true)),
        boot(202, "reset-to-ider-cdrom", "Reset and boot the IDE-R CD image", 10, BootOptions(useIDER: true, iderBootDevice: 1)),
        boot(203, "power-on-to-ider-cdrom", "Power up and boot the IDE-R CD image", 2, BootOptions(useIDER: true, iderBootDevice: 1)),
        boot(400, "reset-to-pxe", "Reset and boot from the network (PXE)", 10, BootOptions(source: "pxe")),
        boot(401, "power-on-to-pxe", "Power up and boot from the network (PXE)", 2, BootOptions(source: "pxe")),
    ]

    private static func plain(_ code: Int, _ name: String, _ description: String) -> PowerActionSpec {
        PowerActionSpec(code: code, name: name, description: description, boot: nil, powerState: code)
    }

    private static func boot(_ code: Int, _ name: String, _ description: String, _ power: Int, _ options: BootOptions) -> PowerActionSpec {
        PowerActionSpec(code: code, name: name, description: description, boot: options, powerState: power)
    }
}
