// swift-tools-version: 6.1
// Tether: an out-of-band management host for Intel AMT fleets. See README.md and docs/.
import PackageDescription

/// Swift plugins export exactly one symbol (`tether_plugin_entry`); see Plugins/exports.map.
let pluginLinkerSettings: [LinkerSetting] = [
    .unsafeFlags(["-Xlinker", "--version-script=Plugins/exports.map"])
]

/// A bundled Swift plugin: a `.dynamic` product named `TetherPlugin<Name>` so that the host's
/// default scan (`libTetherPlugin*.so` next to the binary) finds it.
func bundledPlugin(_ name: String, dependencies: [Target.Dependency] = []) -> (Product, Target) {
    (
        .library(name: "TetherPlugin\(name)", type: .dynamic, targets: ["\(name)Plugin"]),
        .target(
            name: "\(name)Plugin",
            dependencies: ["TetherPluginKit"] + dependencies,
            path: "Plugins/\(name)",
            linkerSettings: pluginLinkerSettings
        )
    )
}

let plugins = [
    bundledPlugin("Diagnostics"),
    bundledPlugin("ProfileACM", dependencies: ["ProfilePolicyKit"]),
    bundledPlugin("ProfileCCM", dependencies: ["ProfilePolicyKit"]),
    bundledPlugin("PowerStandard"),
    bundledPlugin("FrontendREST"),
]

let package = Package(
    name: "Tether",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "tether", targets: ["tether"]),
        .executable(name: "amtsim", targets: ["amtsim"]),
        .executable(name: "tether-bench", targets: ["tether-bench"]),
    ] + plugins.map(\.0),
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        // The host's `/activate` websocket (server side only; WSClient would pull in swift-nio-ssl).
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket", from: "2.8.1"),
    ],
    targets: [
        // The stable C ABI between the host and its plugins (header only + a layout check).
        .target(name: "CTetherABI", path: "Sources/CTetherABI"),
        // Debian's OpenSSL 3 (libssl-dev): legacy TLS for AMT firmware, X.509, AES-GCM, MD5.
        .systemLibrary(name: "COpenSSL", pkgConfig: "openssl", providers: [.apt(["libssl-dev"])]),
        // A small JSON value type shared by the host and Swift plugins (values only cross as bytes).
        .target(name: "TetherJSON"),
        // APF codec: pure values, no I/O. Shared by the CIRA server and the simulator.
        .target(name: "APF"),
        // OpenSSL memory-BIO channel handler (server + client) and the certificate authority.
        .target(name: "TetherTLS", dependencies: [
            "COpenSSL",
            .product(name: "NIOCore", package: "swift-nio"),
        ]),
        // The CIRA server: connection state machine, channels, session registry.
        .target(name: "CIRA", dependencies: [
            "APF", "TetherTLS",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        // WS-Management: envelopes, XML parsing, HTTP/1.1 framing, digest auth.
        .target(name: "WSMan", dependencies: ["COpenSSL"]),
        // Per-device WS-Man client over CIRA channels and typed AMT operations.
        .target(name: "AMT", dependencies: [
            "WSMan", "CIRA", "TetherJSON",
            .product(name: "Logging", package: "swift-log"),
        ]),
        // Activation (RPC ⇄ RPS): the websocket envelope codec, the device payload, the CCM/ACM
        // state machine and the setup WS-Man requests. Pure values; shared by the host and amtsim.
        .target(name: "Activation", dependencies: ["WSMan"]),
        // SQLite store with sealed secrets.
        .target(name: "Store", dependencies: [
            "COpenSSL", "TetherJSON",
            .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        // Plugin loading, ABI negotiation, the command bus.
        .target(name: "PluginHost", dependencies: [
            "CTetherABI", "TetherJSON",
            .product(name: "Logging", package: "swift-log"),
        ]),
        // The host application: configuration, lifecycle, host commands.
        .target(name: "TetherCore", dependencies: [
            "PluginHost", "TetherJSON", "Store", "CIRA", "TetherTLS", "APF", "AMT",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Hummingbird", package: "hummingbird"),
            "COpenSSL",
            "Activation",
            .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
        ]),
        // What a Swift plugin links: entry boilerplate, JSON, async bridge, drain on destroy.
        .target(name: "TetherPluginKit", dependencies: ["CTetherABI", "TetherJSON"]),
        // Shared rules of the bundled profile-policy plugins (linked into each plugin).
        .target(name: "ProfilePolicyKit", dependencies: ["TetherPluginKit"], path: "Plugins/ProfilePolicyKit"),
        .executableTarget(name: "tether", dependencies: [
            "TetherCore",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        // The AMT device simulator (library used in-process by tests + executable).
        .target(name: "AMTSimulator", dependencies: [
            "APF", "TetherTLS", "WSMan",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
            "Activation",
            .product(name: "NIOWebSocket", package: "swift-nio"),
        ]),
        // Benchmarks (run with -c release); see README "Benchmarks".
        .executableTarget(name: "tether-bench", dependencies: [
            "CIRA", "TetherTLS", "AMT", "AMTSimulator",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .executableTarget(name: "amtsim", dependencies: [
            "AMTSimulator",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        // Test helpers shared by the test targets (child processes without blocking the pool).
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "APFTests", dependencies: ["APF"]),
        .testTarget(name: "TetherTLSTests", dependencies: ["TetherTLS", "TestSupport", .product(name: "NIOPosix", package: "swift-nio")]),
        .testTarget(name: "WSManTests", dependencies: ["WSMan"]),
        .testTarget(name: "AMTTests", dependencies: [
            "AMT", "TetherCore", "CIRA", "AMTSimulator", "WSMan", "TetherTLS", "PluginHost", "Store", "TestSupport",
        ]),
        .testTarget(name: "StoreTests", dependencies: ["Store", "TestSupport"]),
        .testTarget(name: "AdminTests", dependencies: ["TetherCore", "PluginHost", "Store", "TetherTLS", "CIRA", "AMTSimulator", "TestSupport"]),
        .testTarget(name: "PluginHostTests", dependencies: ["PluginHost", "TetherCore", "CTetherABI", "TestSupport"]),
        .testTarget(name: "TetherCoreTests", dependencies: ["TetherCore", "PluginHost", "Store", "TestSupport"]),
        .testTarget(name: "FrontendTests", dependencies: [
            "TetherCore", "PluginHost", "AMTSimulator", "TetherTLS", "APF", "TestSupport",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
        ]),
        .testTarget(name: "CIRATests", dependencies: [
            "CIRA", "AMTSimulator", "APF", "TetherTLS", "TestSupport",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
        ]),
        .testTarget(name: "ActivationTests", dependencies: [
            "Activation", "WSMan", "TetherCore", "PluginHost", "Store", "TetherTLS", "CIRA", "AMTSimulator", "APF",
            "TestSupport",
        ]),
        .testTarget(name: "AMTSimulatorTests", dependencies: [
            "AMTSimulator", "WSMan", "APF", "TetherTLS",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOEmbedded", package: "swift-nio"),
        ]),
    ] + plugins.map(\.1)
)
