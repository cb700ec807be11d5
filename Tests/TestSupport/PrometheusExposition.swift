/// A small, strict parser of the Prometheus text exposition format (0.0.4) for tests: `# TYPE`
/// and `# HELP` lines, samples `name{label="value",…} value`, label escapes (`\\`, `\"`, `\n`).
/// It checks what a scraper relies on: every sample belongs to a declared family of a known
/// type, counters are non-negative, a histogram's `le` buckets are cumulative (non-decreasing
/// by bound), end with `+Inf` and that bucket equals `_count`.
public struct PrometheusExposition: Sendable {
    public struct Sample: Sendable, Equatable {
        public var name: String
        public var labels: [String: String]
        public var value: Double
    }

    public struct Family: Sendable {
        public var name: String
        public var type: String
        public var samples: [Sample] = []
    }

    public struct ParseError: Error, CustomStringConvertible {
        public let description: String
    }

    /// Families by name.
    public private(set) var families: [String: Family] = [:]

    /// Parses and validates `text`; throws naming the first offending line.
    public init(parsing text: String) throws {
        for (number, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = String(raw)
            func fail(_ why: String) -> ParseError { ParseError(description: "line \(number + 1) \"\(line)\": \(why)") }
            if line.isEmpty { continue }
            if line.hasPrefix("#") {
                let words = line.split(separator: " ", maxSplits: 3).map(String.init)
                guard words.count >= 3 else { throw fail("short comment") }
                if words[1] == "TYPE" {
                    guard words.count == 4, ["counter", "gauge", "histogram", "summary", "untyped"].contains(words[3]) else {
                        throw fail("bad TYPE")
                    }
                    guard families[words[2]] == nil else { throw fail("second TYPE for \(words[2])") }
                    families[words[2]] = Family(name: words[2], type: words[3])
                }
                continue
            }
            let sample = try Self.sample(line, fail: fail)
            guard let family = familyName(of: sample.name) else { throw fail("sample of an undeclared family") }
            families[family]!.samples.append(sample)
        }
        for family in families.values {
            try Self.validate(family)
        }
    }

    /// The samples of family `name` (empty when absent).
    public func samples(_ name: String) -> [Sample] { families[name]?.samples ?? [] }

    /// The value of the sample `name` with exactly `labels`, if present.
    public func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        for family in families.values {
            if let sample = family.samples.first(where: { $0.name == name && $0.labels == labels }) { return sample.value }
        }
        return nil
    }

    /// The count of histogram `name`'s bucket with upper bound `le` (compared as numbers, so
    /// `10`, `10.0` and `1e1` are one bound) for the series with `labels`.
    public func bucket(_ name: String, le: Double, _ labels: [String: String] = [:]) -> Double? {
        samples(name).first { sample in
            guard sample.name == name + "_bucket", let bound = sample.labels["le"].flatMap(Self.parseValue) else { return false }
            var rest = sample.labels
            rest["le"] = nil
            return bound == le && rest == labels
        }?.value
    }

    /// The finite bucket bounds of histogram `name`, in order.
    public func bucketBounds(_ name: String) -> [Double] {
        Array(Set(samples(name).filter { $0.name == name + "_bucket" }.compactMap { $0.labels["le"].flatMap(Self.parseValue) }))
            .filter(\.isFinite).sorted()
    }

    private func familyName(of sample: String) -> String? {
        if families[sample] != nil { return sample }
        for suffix in ["_bucket", "_sum", "_count"] where sample.hasSuffix(suffix) {
            let base = String(sample.dropLast(suffix.count))
            if let family = families[base], family.type == "histogram" || family.type == "summary" { return base }
        }
        return nil
    }

    private static func sample(_ line: String, fail: (String) -> ParseError) throws -> Sample {
        var rest = Substring(line)
        let name = rest.prefix { $0.isLetter || $0.isNumber || $0 == "_" || $0 == ":" }
        guard let first = name.first, !first.isNumber else { throw fail("bad metric name") }
        rest = rest.dropFirst(name.count)
        var labels: [String: String] = [:]
        if rest.first == "{" {
            rest = rest.dropFirst()
            while rest.first != "}" {
                let label = rest.prefix { $0.isLetter || $0.isNumber || $0 == "_" }
                guard !label.isEmpty else { throw fail("bad label name") }
                rest = rest.dropFirst(label.count)
                guard rest.hasPrefix("=\"") else { throw fail("label without =\"") }
                rest = rest.dropFirst(2)
                var value = ""
                while true {
                    guard let character = rest.popFirst() else { throw fail("unterminated label value") }
                    if character == "\"" { break }
                    if character == "\\" {
                        switch rest.popFirst() {
                        case "\\": value.append("\\")
                        case "\"": value.append("\"")
                        case "n": value.append("\n")
                        default: throw fail("bad escape in a label value")
                        }
                    } else {
                        value.append(character)
                    }
                }
                guard labels.updateValue(value, forKey: String(label)) == nil else { throw fail("repeated label") }
                if rest.first == "," { rest = rest.dropFirst() } else if rest.first != "}" { throw fail("expected , or }") }
            }
            rest = rest.dropFirst()
        }
        guard rest.first == " " else { throw fail("no space before the value") }
        let fields = rest.dropFirst().split(separator: " ")
        guard (1...2).contains(fields.count), let value = parseValue(String(fields[0])) else { throw fail("bad value") }
        return Sample(name: String(name), labels: labels, value: value)
    }

    private static func parseValue(_ text: String) -> Double? {
        switch text {
        case "+Inf": .infinity
        case "-Inf": -.infinity
        case "NaN": .nan
        default: Double(text)
        }
    }

    private static func validate(_ family: Family) throws {
        func fail(_ why: String) -> ParseError { ParseError(description: "family \(family.name): \(why)") }
        switch family.type {
        case "counter":
            for sample in family.samples where !(sample.value >= 0) { throw fail("negative counter") }
        case "histogram":
            // Group the series by their labels other than `le`.
            var series: [[String: String]: [(bound: Double, count: Double)]] = [:]
            for sample in family.samples where sample.name == family.name + "_bucket" {
                guard let le = sample.labels["le"], let bound = parseValue(le) else { throw fail("bucket without le") }
                var key = sample.labels
                key["le"] = nil
                series[key, default: []].append((bound, sample.value))
            }
            guard !series.isEmpty else { throw fail("histogram without buckets") }
            for (labels, buckets) in series {
                let sorted = buckets.sorted { $0.bound < $1.bound }
                guard sorted.last?.bound == .infinity else { throw fail("no +Inf bucket for \(labels)") }
                for (lower, upper) in zip(sorted, sorted.dropFirst()) where upper.count < lower.count {
                    throw fail("bucket le=\(upper.bound) (\(upper.count)) below le=\(lower.bound) (\(lower.count))")
                }
                let count = family.samples.first { $0.name == family.name + "_count" && $0.labels == labels }?.value
                guard count == sorted.last?.count else { throw fail("_count \(String(describing: count)) ≠ +Inf bucket for \(labels)") }
                guard family.samples.contains(where: { $0.name == family.name + "_sum" && $0.labels == labels }) else {
                    throw fail("no _sum for \(labels)")
                }
            }
        default:
            break
        }
    }
}
