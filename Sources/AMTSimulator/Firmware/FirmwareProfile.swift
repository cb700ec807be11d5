import TetherTLS

/// What kind of AMT firmware a simulated device runs: versions, SKU, the TLS it offers, boot
/// capabilities and hardware strings. Presets for `--firmware 11|12|16`: ``amt11``,
/// ``amt12``, ``amt16`` (see ``init(generation:)``).
public struct FirmwareProfile: Sendable, Equatable {
    /// AMT version (`CIM_SoftwareIdentity` `AMT`, `Flash`, `Netstack`, …), e.g. `16.1.25`.
    public var amtVersion: String
    /// Firmware build number (`Build Number`), e.g. `2049`.
    public var buildNumber: String
    /// `Sku` (16392 = corporate / full AMT).
    public var sku: String
    /// The TLS offer suggested for the CIRA connection.
    public var tls: FirmwareTLSOffer
    /// What `AMT_BootCapabilities` reports.
    public var bootCapabilities: FirmwareBootCapabilities
    /// Whether `AMT_BootSettingData` carries the UEFI-era fields (`BootguardStatus`,
    /// `UefiBootNumberOfParams`, `WinREBootEnabled`, …).
    public var uefiBootSettings: Bool
    /// Hardware inventory strings.
    public var hardware: FirmwareHardwareInfo

    /// Creates a profile.
    public init(amtVersion: String, buildNumber: String, sku: String = "16392", tls: FirmwareTLSOffer,
                bootCapabilities: FirmwareBootCapabilities, uefiBootSettings: Bool, hardware: FirmwareHardwareInfo) {
        self.amtVersion = amtVersion
        self.buildNumber = buildNumber
        self.sku = sku
        self.tls = tls
        self.bootCapabilities = bootCapabilities
        self.uefiBootSettings = uefiBootSettings
        self.hardware = hardware
    }

    /// The preset for an AMT major version (11, 12 or 16); `nil` for anything else.
    public init?(generation: Int) {
        switch generation {
        case 11: self = .amt11
        case 12: self = .amt12
        case 16: self = .amt16
        default: return nil
        }
    }

    /// The major version (the integer before the first `.` of ``amtVersion``), 0 if unparsable.
    public var majorVersion: Int {
        Int(amtVersion.split(separator: ".").first ?? "") ?? 0
    }

    /// `Server` header value: `Intel(R) Active Management Technology <version>.<build>`.
    public var serverHeader: String { "Intel(R) Active Management Technology \(amtVersion).\(buildNumber)" }

    /// AMT 11 (Skylake/Kaby Lake era): TLS 1.1 only, RSA key exchange with CBC suites.
    public static let amt11 = FirmwareProfile(
        amtVersion: "11.8.55", buildNumber: "3510",
        tls: FirmwareTLSOffer(minimumVersion: .tls1_1, maximumVersion: .tls1_1,
                              cipherList: "AES128-SHA:AES256-SHA:@SECLEVEL=0"),
        bootCapabilities: FirmwareBootCapabilities(), uefiBootSettings: false,
        hardware: FirmwareHardwareInfo(
            chassisManufacturer: "Intel Corporation", chassisModel: "NUC7i5BNH", chassisSerialNumber: "G6BN7320011X",
            chassisVersion: "J31145-306", boardManufacturer: "Intel Corporation", boardModel: "NUC7i5BNB",
            boardSerialNumber: "GEBN73200CQR", boardVersion: "J31169-306", biosManufacturer: "Intel Corp.",
            biosVersion: "BNKBL357.86A.0062.2018.0222.1644", biosReleaseDate: "2018-02-22T00:00:00Z",
            processorName: "Intel(R) Core(TM) i5-7260U CPU @ 2.20GHz", processorFamily: 205,
            processorCurrentClockMHz: 2200, processorMaxClockMHz: 8300,
            memory: [.init(bankLabel: "BANK 0", capacityBytes: 8 << 30, speedMHz: 2133, manufacturer: "80CE",
                           partNumber: "M471A1K43BB1-CRC", serialNumber: "36A1F2C0")],
            mediaSizesKB: [250059350]))

    /// AMT 12 (Coffee Lake era): TLS 1.2 with `AES128-SHA256` (RSA, CBC).
    public static let amt12 = FirmwareProfile(
        amtVersion: "12.0.67", buildNumber: "1579",
        tls: FirmwareTLSOffer(minimumVersion: .tls1_2, maximumVersion: .tls1_2, cipherList: "AES128-SHA256"),
        bootCapabilities: FirmwareBootCapabilities(), uefiBootSettings: false,
        hardware: FirmwareHardwareInfo(
            chassisManufacturer: "Intel(R) Client Systems", chassisModel: "NUC8i5BEH", chassisSerialNumber: "BTBE84300A1C",
            chassisVersion: "J72692-307", boardManufacturer: "Intel Corporation", boardModel: "NUC8BEB",
            boardSerialNumber: "GEBE8430017A", boardVersion: "J72688-307", biosManufacturer: "Intel Corp.",
            biosVersion: "BECFL357.86A.0073.2019.0618.1409", biosReleaseDate: "2019-06-18T00:00:00Z",
            processorName: "Intel(R) Core(TM) i5-8259U CPU @ 2.30GHz", processorFamily: 205,
            processorCurrentClockMHz: 2300, processorMaxClockMHz: 8300,
            memory: [.init(bankLabel: "BANK 0", capacityBytes: 8 << 30, speedMHz: 2400, manufacturer: "859B",
                           partNumber: "CT8G4SFS824A.C8FBD1", serialNumber: "E0B1C370"),
                     .init(bankLabel: "BANK 2", capacityBytes: 8 << 30, speedMHz: 2400, manufacturer: "859B",
                           partNumber: "CT8G4SFS824A.C8FBD1", serialNumber: "E0B1C371")],
            mediaSizesKB: [500107862]))

    /// AMT 16 (Alder Lake era): TLS 1.2 with the library's suites (ECDHE preferred); UEFI boot options.
    public static let amt16: FirmwareProfile = {
        var capabilities = FirmwareBootCapabilities()
        capabilities.uefiBootOptions = true
        capabilities.biosPause = true
        return FirmwareProfile(
            amtVersion: "16.1.25", buildNumber: "2049",
            tls: FirmwareTLSOffer(minimumVersion: .tls1_2, maximumVersion: .tls1_2),  // CIRA from AMT 16 is TLS 1.2
            bootCapabilities: capabilities, uefiBootSettings: true,
            hardware: FirmwareHardwareInfo(
                chassisManufacturer: "Intel(R) Client Systems", chassisModel: "NUC12WSHi7", chassisSerialNumber: "BTWS2310045K",
                chassisVersion: "M46425-302", boardManufacturer: "Intel Corporation", boardModel: "NUC12WSBi7",
                boardSerialNumber: "BTWS23100B9T", boardVersion: "M46420-302", biosManufacturer: "Intel Corp.",
                biosVersion: "WSADL357.0088.2023.0505.1623", biosReleaseDate: "2023-05-05T00:00:00Z",
                processorName: "12th Gen Intel(R) Core(TM) i7-1260P", processorFamily: 198,
                processorCurrentClockMHz: 2100, processorMaxClockMHz: 8300,
                memory: [.init(bankLabel: "BANK 0", capacityBytes: 16 << 30, speedMHz: 3200, manufacturer: "859B",
                               partNumber: "CT16G4SFRA32A.M16FRS", serialNumber: "E6A1D2F4"),
                         .init(bankLabel: "BANK 2", capacityBytes: 16 << 30, speedMHz: 3200, manufacturer: "859B",
                               partNumber: "CT16G4SFRA32A.M16FRS", serialNumber: "E6A1D2F5")],
                mediaSizesKB: [1000204886]))
    }()
}
