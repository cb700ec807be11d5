// swift-tools-version: 6.1
// Tether: an out-of-band management host for Intel AMT fleets. See README.md.
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
    bundledPlugin("Webhooks"),
    bundledPlugin("FrontendWeb"),
]

let package = Package(
    name: "Tether",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "tether", targets: ["tether"]),
        .executable(name: "amtsim", targets: ["amtsim"]),
        .executable(name: "tether-bench", targets: ["tether-bench"]),
        // A vendor's example plugin (not bundled: load it with --plugins).
        .library(name: "SignageWaveReboot", type: .dynamic, targets: ["SignageWaveReboot"]),
        // What Swift plugins built outside this repository link (see examples/swift-hello-action).
        .library(name: "TetherPluginKit", targets: ["TetherPluginKit"]),
    ] + plugins.map(\.0),
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
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
        // swift-metrics counters that also keep their counts for in-process readers.
        .target(name: "TetherMetrics", dependencies: [.product(name: "CoreMetrics", package: "swift-metrics")]),
        // The CIRA server: connection state machine, channels, session registry.
        .target(name: "CIRA", dependencies: [
            "APF", "TetherTLS",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "CoreMetrics", package: "swift-metrics"), "TetherMetrics",
        ]),
        // WS-Management: envelopes, XML parsing, HTTP/1.1 framing, digest auth.
        .target(name: "WSMan", dependencies: ["COpenSSL"]),
        // Small concurrency helpers shared by the WS-Man client and the plugin host (deadlines).
        .target(name: "TetherAsync"),
        // Per-device WS-Man client over CIRA channels and typed AMT operations.
        .target(name: "AMT", dependencies: [
            "WSMan", "CIRA", "TetherJSON", "TetherAsync", "TetherMetrics",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "CoreMetrics", package: "swift-metrics"),
        ]),
        // Activation (RPC ⇄ RPS): the websocket envelope codec, the device payload, the CCM/ACM
        // state machine and the setup WS-Man requests. Pure values; shared by the host and amtsim.
        .target(name: "Activation", dependencies: ["WSMan"]),
        // SQLite store with sealed secrets.
        .target(name: "Store", dependencies: [
            "COpenSSL", "TetherJSON", "TetherTLS",
            .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        // Debian's libffi (libffi-dev): calls typed C commands of plugins.
        .systemLibrary(name: "CFFI", path: "Sources/CFFI", pkgConfig: "libffi", providers: [.apt(["libffi-dev"])]),
        // Plugin loading, ABI negotiation, the command bus.
        .target(name: "PluginHost", dependencies: [
            "CTetherABI", "TetherJSON", "CFFI", "TetherAsync",
            .product(name: "Logging", package: "swift-log"),
        ]),
        // MQTT 3.1.1 codec and QoS 1 publisher on NIO (events out; no MQTT package in the mirror).
        .target(name: "MQTT", dependencies: [
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
        ]),
        // The host application: configuration, lifecycle, host commands.
        .target(name: "TetherCore", dependencies: [
            "PluginHost", "TetherJSON", "Store", "CIRA", "TetherTLS", "APF", "AMT", "WSMan", "MQTT", "TetherMetrics",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "CoreMetrics", package: "swift-metrics"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
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
            .product(name: "CoreMetrics", package: "swift-metrics"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
        ], linkerSettings: [
            // jemalloc as the host's allocator (README "Memory per tunnel"): idle tunnels keep a few
            // small allocations between the large transient ones of every TLS handshake, and glibc's
            // malloc leaves them spread over partly used pages (18.5 KiB RSS per tunnel for 7.2 KiB
            // live); jemalloc's size-class slabs pack them. Debian package libjemalloc-dev.
            .linkedLibrary("jemalloc", .when(platforms: [.linux])),
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
            "CIRA", "TetherTLS", "AMT", "AMTSimulator", "TetherJSON",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Hummingbird", package: "hummingbird"),
        ]),
        .executableTarget(
            name: "amtsim",
            dependencies: [
                "AMTSimulator", "TetherTLS",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            // jemalloc here too: the simulator's per-request allocations cost less than with glibc's
            // malloc, and a process of 6,500 devices holds less memory (README "Benchmarks").
            linkerSettings: [.linkedLibrary("jemalloc", .when(platforms: [.linux]))]
        ),

        // Test helpers shared by the test targets (child processes without blocking the pool).
        .target(name: "TestSupport", dependencies: [
            "TetherTLS",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
        ], path: "Tests/TestSupport"),
        .testTarget(name: "APFTests", dependencies: ["APF"]),
        .testTarget(name: "TetherJSONTests", dependencies: ["TetherJSON"]),
        .testTarget(name: "TetherTLSTests", dependencies: ["TetherTLS", "TestSupport", .product(name: "NIOPosix", package: "swift-nio"), .product(name: "NIOEmbedded", package: "swift-nio")]),
        .testTarget(name: "WSManTests", dependencies: ["WSMan"]),
        .testTarget(name: "AMTTests", dependencies: [
            "AMT", "TetherCore", "CIRA", "AMTSimulator", "WSMan", "TetherTLS", "PluginHost", "Store", "TestSupport",
        ]),
        .testTarget(name: "StoreTests", dependencies: ["Store", "TestSupport"]),
        .testTarget(name: "AdminTests", dependencies: ["TetherCore", "PluginHost", "Store", "TetherTLS", "CIRA", "AMTSimulator", "TestSupport"]),
        .testTarget(name: "PluginHostTests", dependencies: ["PluginHost", "TetherCore", "CTetherABI", "TetherAsync", "TestSupport"]),
        .testTarget(name: "TetherCoreTests", dependencies: ["TetherCore", "PluginHost", "Store", "TestSupport"]),
        .testTarget(name: "FrontendTests", dependencies: [
            "TetherCore", "PluginHost", "AMTSimulator", "TetherTLS", "APF", "TestSupport",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
        ]),
        // The web console in real headless Chromium (WebDriver over HTTP) and over plain HTTP.
        .testTarget(name: "WebConsoleTests", dependencies: ["TetherCore", "TetherJSON", "AMTSimulator", "APF", "TestSupport"]),
        .testTarget(name: "CIRATests", dependencies: [
            "CIRA", "AMTSimulator", "APF", "TetherTLS", "TestSupport",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
        ]),
        .testTarget(name: "ActivationTests", dependencies: [
            "Activation", "WSMan", "TetherCore", "PluginHost", "Store", "TetherTLS", "CIRA", "AMTSimulator", "APF",
            "TestSupport",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
        ]),
        .testTarget(name: "AMTSimulatorTests", dependencies: [
            "AMTSimulator", "WSMan", "APF", "TetherTLS",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOEmbedded", package: "swift-nio"),
        ]),
        // The signage wave-reboot workflow, built only against the public plugin kit.
        .target(
            name: "SignageWaveReboot", dependencies: ["TetherPluginKit"], path: "examples/signage-wave-reboot",
            linkerSettings: pluginLinkerSettings),
        // Event bus, webhooks, MQTT, fleet jobs and the signage example (issue 14).
        .testTarget(name: "EventsTests", dependencies: [
            "TetherCore", "PluginHost", "Store", "AMTSimulator", "APF", "TetherTLS", "WSMan", "MQTT", "TestSupport",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
        ]),
        // Seconds-long in-process smoke runs of the libFuzzer harnesses (Fuzz/README.md).
        .testTarget(
            name: "FuzzSmokeTests", dependencies: ["WSMan", "TetherJSON", "TestSupport"], path: "Fuzz",
            exclude: ["README.md", "build.sh", "Main", "RESTRequest", "APFDecoderFuzz", "corpus"],
            sources: ["Harnesses", "Smoke"]),
    ] + plugins.map(\.1)
)
