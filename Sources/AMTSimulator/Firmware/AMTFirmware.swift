import APF
import Foundation
import Synchronization
import WSMan

/// The emulated Intel AMT firmware of one simulated device: answers WS-Management over HTTP
/// with digest authentication on port 16992 and keeps the platform's power and boot state.
///
/// Thread-safe: all state sits behind one mutex. Observe it with ``state`` and ``calls``
/// (tests, a control endpoint); change it with ``modifyState(_:)`` and ``setFaults(_:)``.
public final class AMTFirmware: DeviceFirmware {
    /// The WS-Man HTTP port.
    public static let wsmanPort: UInt32 = 16992

    /// The configuration the firmware was created with (current values: ``state``, ``faults``).
    public let configuration: AMTFirmwareConfiguration
    let engine: Mutex<FirmwareEngine>
    private let extraPorts = Mutex<[UInt32: @Sendable () -> any FirmwareConnection]>([:])

    /// Creates the firmware.
    public init(configuration: AMTFirmwareConfiguration) {
        self.configuration = configuration
        self.engine = Mutex(FirmwareEngine(configuration: configuration))
    }

    /// Convenience: a device with `uuid`, AMT password `password` and a profile.
    public convenience init(uuid: AMTUUID, password: String, profile: FirmwareProfile = .amt16) {
        self.init(configuration: AMTFirmwareConfiguration(uuid: uuid, password: password, profile: profile))
    }

    // MARK: DeviceFirmware

    /// Opens a connection to 16992 (or a port registered with ``register(port:factory:)``);
    /// other ports are refused with `.connectFailed`. ``FirmwareFaults`` may refuse first.
    public func connect(port: UInt32) -> Result<any FirmwareConnection, ChannelRefusal> {
        if let refusal = engine.withLock({ $0.admitChannel() }) { return .failure(refusal) }
        if port == Self.wsmanPort { return .success(AMTWSManConnection(firmware: self)) }
        if let factory = extraPorts.withLock({ $0[port] }) { return .success(factory()) }
        return .failure(ChannelRefusal(.connectFailed))
    }

    /// Serves another port with connections made by `factory` (e.g. a redirection stub).
    public func register(port: UInt32, factory: @escaping @Sendable () -> any FirmwareConnection) {
        extraPorts.withLock { $0[port] = factory }
    }

    // MARK: observation and control

    /// A snapshot of the platform state.
    public var state: FirmwareState { engine.withLock { $0.state } }

    /// Changes the platform state (e.g. "the user shut the OS down").
    public func modifyState(_ body: (inout FirmwareState) -> Void) {
        engine.withLock { body(&$0.state) }
    }

    /// The WS-Man operations handled so far, oldest first (bounded by
    /// ``AMTFirmwareConfiguration/callLogLimit``).
    public var calls: [FirmwareCall] { engine.withLock { $0.calls } }

    /// Empties the call log.
    public func clearCalls() { engine.withLock { $0.calls.removeAll() } }

    /// The injected faults currently in effect.
    public var faults: FirmwareFaults { engine.withLock { $0.faults } }

    /// Replaces the injected faults (the count of channel opens restarts for `refuseFirstChannelOpens`).
    public func setFaults(_ faults: FirmwareFaults) {
        engine.withLock {
            $0.faults = faults
            $0.channelOpens = 0
        }
    }

    /// The digest realm (`AMT_GeneralSettings.DigestRealm`).
    public var realm: String { configuration.realm }

    /// Channel opens attempted so far (refused ones included).
    public var channelOpenCount: Int { engine.withLock { $0.channelOpens } }

    // MARK: internal

    /// Authenticates and answers one HTTP request (state changes happen now, even when the
    /// reply is delayed by a fault).
    func serve(_ request: HTTPRequestMessage) -> FirmwareReply {
        let now = configuration.clock()
        return engine.withLock { $0.serve(request, now: now) }
    }

    /// The answer to bytes that are not HTTP.
    func badRequest() -> FirmwareReply {
        .html(status: 400, message: "Bad request.", server: configuration.profile.serverHeader, date: configuration.clock())
    }
}
