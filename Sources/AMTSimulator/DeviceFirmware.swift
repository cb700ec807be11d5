import APF
import NIOCore

/// What answers behind the ports a simulated device forwards (the AMT firmware).
public protocol DeviceFirmware: Sendable {
    /// The server opened a channel to `port`: return a connection, or refuse it with a reason.
    func connect(port: UInt32) -> Result<any FirmwareConnection, ChannelRefusal>
}

/// A firmware's refusal of a channel, with the APF reason code (2/4: out of resources).
public struct ChannelRefusal: Error, Sendable {
    public var reason: APFChannelOpenFailureReason
    public init(_ reason: APFChannelOpenFailureReason) { self.reason = reason }
}

/// One TCP-like connection into the firmware, carried by one APF channel. All calls arrive on
/// the device's event loop.
public protocol FirmwareConnection: AnyObject {
    /// The channel is open; keep `output` to answer (from any thread).
    func start(output: FirmwareOutput)
    /// Bytes from the server, in order.
    func received(_ bytes: [UInt8])
    /// The server closed the channel (or the tunnel went down).
    func closed()
}

/// How firmware writes back through its channel. Thread-safe: hops to the device's event loop.
public struct FirmwareOutput: Sendable {
    let eventLoop: any EventLoop
    let sendBytes: @Sendable ([UInt8]) -> Void
    let closeChannel: @Sendable () -> Void

    /// Sends bytes to the server (as the server's window allows).
    public func send(_ bytes: [UInt8]) {
        eventLoop.execute { sendBytes(bytes) }
    }

    /// Closes this channel from the device side.
    public func close() {
        eventLoop.execute { closeChannel() }
    }

    /// Runs `work` on the device's event loop after `delay` (slow firmware).
    public func after(_ delay: Duration, _ work: @escaping @Sendable () -> Void) {
        eventLoop.scheduleTask(in: TimeAmount(delay)) { work() }
    }
}
