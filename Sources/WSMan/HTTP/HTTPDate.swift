import Foundation
import Synchronization

/// The `Date` header's value, RFC 9110 §5.6.7 IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`).
/// One formatter for both sides: the host's HTTP answers and the simulated firmware's.
public enum HTTPDate {
    private static let cache = Mutex<(second: time_t, text: String)>((-1, ""))
    private static let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// Now, formatted at most once a second.
    public static func now() -> String {
        let seconds = time(nil)
        return cache.withLock { cached in
            if cached.second != seconds { cached = (seconds, format(seconds: seconds)) }
            return cached.text
        }
    }

    /// `date`, fractions of a second cut.
    public static func format(_ date: Date) -> String {
        format(seconds: time_t(date.timeIntervalSince1970.rounded(.down)))
    }

    /// `seconds` since 1970. `gmtime_r`, not a `Calendar` per call (that was 2.5 % of a
    /// simulated device's CPU).
    public static func format(seconds: time_t) -> String {
        var seconds = seconds
        var fields = tm()
        gmtime_r(&seconds, &fields)
        func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let weekday = days[Int(fields.tm_wday + 7) % 7]
        let month = months[Int(fields.tm_mon + 12) % 12]
        return "\(weekday), \(two(fields.tm_mday)) \(month) \(1900 + fields.tm_year) \(two(fields.tm_hour)):\(two(fields.tm_min)):\(two(fields.tm_sec)) GMT"
    }
}
