import CTetherABI
import PluginHost
import Testing
import TetherJSON

/// The header's closed error vocabulary and the host's `CommandError.Code` are the same set.
@Suite struct ErrorVocabularyTests {
    @Test func theHeaderDeclaresEveryCodeTheHostUses() {
        let header: Set<String> = [
            TETHER_CODE_BAD_REQUEST, TETHER_CODE_NOT_FOUND, TETHER_CODE_CONFLICT, TETHER_CODE_TIMEOUT,
            TETHER_CODE_NOT_CONNECTED, TETHER_CODE_DEVICE_ERROR, TETHER_CODE_UNAUTHORIZED, TETHER_CODE_UNAVAILABLE,
            TETHER_CODE_CANCELLED, TETHER_CODE_PLUGIN_FAILURE, TETHER_CODE_UNSUPPORTED, TETHER_CODE_INTERNAL,
        ]
        #expect(Set(CommandError.Code.allCases.map(\.rawValue)) == header)
    }

    @Test func anABI10DeviceFailureIsReadAsDeviceError() {
        let error = CommandError(json: ["error": "refused", "code": "device_failure"], fallback: .pluginFailure)
        #expect(error.code == .deviceError)
        #expect(CommandError(json: ["error": "x", "code": "no_such_code"], fallback: .pluginFailure).code == .pluginFailure)
    }
}
