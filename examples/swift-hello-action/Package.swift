// swift-tools-version: 6.1
// A Swift plugin built outside the Tether repository: it depends on Tether by path (a vendor
// would use the repository URL) and links only TetherPluginKit. Build it with the host's exact
// toolchain: `swift build` here gives .build/debug/libHelloAction.so; load it with
// `tether serve --plugins .build/debug`.
import PackageDescription

let package = Package(
    name: "HelloAction",
    products: [
        .library(name: "HelloAction", type: .dynamic, targets: ["HelloAction"])
    ],
    dependencies: [
        .package(name: "Tether", path: "../..")
    ],
    targets: [
        .target(
            name: "HelloAction",
            dependencies: [.product(name: "TetherPluginKit", package: "Tether")],
            // Export exactly one symbol, tether_plugin_entry.
            linkerSettings: [.unsafeFlags(["-Xlinker", "--version-script=exports.map"])]
        )
    ]
)
