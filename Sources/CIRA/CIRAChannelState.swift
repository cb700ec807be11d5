import APF

/// Host-side bookkeeping for one APF channel: ids, flow-control credits, buffered output.
/// Pure value, driven by `CIRAConnectionStateMachine`.
struct CIRAChannelState {
    enum Phase: Equatable {
        /// CHANNEL_OPEN sent, no answer yet.
        case opening
        /// Confirmed: `deviceChannel` and credits are known.
        case open
        /// Closed locally while opening: CHANNEL_CLOSE goes out once the confirmation names the
        /// device's id.
        case closingBeforeConfirmation
        /// CHANNEL_CLOSE sent, waiting for the device's close.
        case closeSent
    }

    let localID: UInt32
    let port: UInt32
    var phase: Phase = .opening
    var deviceChannel: UInt32 = 0
    /// Bytes the device still accepts (its window).
    var sendCredits: UInt32 = 0
    /// Bytes waiting for credits.
    var sendBuffer: [UInt8] = []
    /// Bytes delivered to the reader but not yet acknowledged with WINDOW_ADJUST.
    var unacknowledged: UInt32 = 0
    /// Bytes received and not yet consumed by the reader (window still in use).
    var receivedNotConsumed: UInt32 = 0
}
