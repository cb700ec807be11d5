import ArgumentParser

/// Benchmarks of the host, written as Markdown reports. Build in release:
///
///     swift build -c release --product amtsim
///     swift run -c release tether-bench tunnels --devices 10000 --report benchmarks/tunnels.md
///     swift run -c release tether-bench wsman --devices 100 --report benchmarks/wsman.md
///
/// Each starts the server side in this process and spawns `amtsim` processes (the binary next
/// to this one) as the devices, so the measurements are of the server alone.
@main
struct TetherBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tether-bench", abstract: "Tether benchmarks (run with -c release).",
        subcommands: [Tunnels.self, WSManLatency.self, ProductBench.self, HTTPReferenceServer.self])
}
