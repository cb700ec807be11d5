/// Why a WS-Man envelope could not be used.
public enum WSManEnvelopeError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The XML itself was rejected.
    case xml(XMLParseError)
    /// The root element is not a SOAP 1.2 `Envelope`.
    case notAnEnvelope(rootElement: String)
    /// The envelope has no `Body`.
    case missingBody
    /// An expected element is absent (e.g. `RequestPowerStateChange_OUTPUT/ReturnValue`).
    case missingElement(String)
    /// An element's value has the wrong form (e.g. a non-numeric `ReturnValue`).
    case invalidValue(element: String, value: String)

    public var description: String {
        switch self {
        case .xml(let error): return "invalid WS-Man XML: \(error)"
        case .notAnEnvelope(let root): return "not a SOAP envelope (root element <\(root)>)"
        case .missingBody: return "SOAP envelope has no Body"
        case .missingElement(let name): return "WS-Man reply lacks the expected element \(name)"
        case .invalidValue(let element, let value): return "WS-Man element \(element) has an invalid value '\(value)'"
        }
    }
}
