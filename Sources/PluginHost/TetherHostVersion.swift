import CTetherABI

/// The host's own version and the plugin ABI it speaks.
public enum TetherHostVersion {
    public static let current = "0.1.0"
    public static let abiMajor = TETHER_ABI_VERSION_MAJOR
    public static let abiMinor = TETHER_ABI_VERSION_MINOR
    public static var abiText: String { "\(abiMajor).\(abiMinor)" }
}
