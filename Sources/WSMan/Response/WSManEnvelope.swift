/// A parsed WS-Management envelope: a device reply on the host side, or an incoming request
/// on the simulator side. Elements are addressed by local name (prefixes vary by sender).
///
/// Immutable, `Sendable`. Construction validates only the SOAP structure; use the accessors
/// (``instance(_:)``, ``pullItems``, ``returnValue(method:)``, ``fault``) to read content.
public struct WSManEnvelope: Sendable, Equatable {
    /// The root `Envelope` element.
    public let root: XMLElementNode
    /// Header fields (empty when the envelope has no Header).
    public let header: WSManHeader
    /// The `Body` element.
    public let body: XMLElementNode

    /// Parses and validates an envelope from UTF-8 bytes.
    /// - Throws: ``WSManEnvelopeError``.
    public init(bytes: [UInt8], limits: XMLParserLimits = .default) throws {
        let root: XMLElementNode
        do {
            root = try XMLTreeParser.parse(bytes, limits: limits)
        } catch let error as XMLParseError {
            throw WSManEnvelopeError.xml(error)
        }
        try self.init(root: root)
    }

    /// Parses and validates an envelope from a string.
    public init(xml: String, limits: XMLParserLimits = .default) throws {
        try self.init(bytes: Array(xml.utf8), limits: limits)
    }

    /// Wraps an already parsed tree.
    public init(root: XMLElementNode) throws {
        guard root.localName == "Envelope",
              root.namespaceURI == nil || root.namespaceURI == WSManNamespace.soapEnvelope
        else { throw WSManEnvelopeError.notAnEnvelope(rootElement: root.qualifiedName) }
        guard let body = root.child("Body") else { throw WSManEnvelopeError.missingBody }
        self.root = root
        self.body = body
        self.header = root.child("Header").map(WSManHeader.init(element:)) ?? WSManHeader()
    }

    // MARK: faults

    /// The SOAP fault in the body, if the reply is one.
    public var fault: WSManFault? {
        body.child("Fault").flatMap { WSManFault(element: $0, action: header.action) }
    }

    /// Throws the body's ``WSManFault``, if any.
    public func throwIfFault() throws {
        if let fault { throw fault }
    }

    // MARK: instances

    /// The first body element, converted (the instance of a Get reply, or a method `_OUTPUT`).
    /// With a class name, the first body element with that local name.
    public func instance(_ className: String? = nil) -> WSManInstance? {
        let element = className.map { body.child($0) } ?? body.children.first
        return element.map(WSManInstance.init(element:))
    }

    /// Like ``instance(_:)`` but throws a fault, or `missingElement` when absent.
    public func requireInstance(_ className: String? = nil) throws -> WSManInstance {
        try throwIfFault()
        guard let instance = instance(className) else {
            throw WSManEnvelopeError.missingElement(className ?? "Body content")
        }
        return instance
    }

    // MARK: enumeration

    /// `Items` of a `PullResponse` (or of an optimized `EnumerateResponse`), one per instance.
    public var pullItems: [WSManInstance] { pullItemElements.map(WSManInstance.init(element:)) }

    /// The elements of ``pullItems``, not yet made instances (for a caller that reads one
    /// property and need not convert every reference and selector of the reply).
    public var pullItemElements: [XMLElementNode] {
        let response = body.child("PullResponse") ?? body.child("EnumerateResponse")
        return response?.child("Items")?.children ?? []
    }

    /// `EnumerationContext` of an `EnumerateResponse` or `PullResponse`.
    public var enumerationContext: String? {
        let response = body.child("EnumerateResponse") ?? body.child("PullResponse")
        return response?.child("EnumerationContext")?.trimmedText
    }

    /// Whether a `PullResponse` (or `EnumerateResponse`) carries `EndOfSequence`.
    public var endOfSequence: Bool {
        let response = body.child("PullResponse") ?? body.child("EnumerateResponse")
        return response?.child("EndOfSequence") != nil
    }

    // MARK: method outputs

    /// The `ReturnValue` of a method reply: of `{method}_OUTPUT` when `method` is given, else of
    /// the first body element whose name ends in `_OUTPUT`. `nil` if absent or not an integer.
    public func returnValue(method: String? = nil) -> ReturnValue? {
        (try? requireReturnValue(method: method)) ?? nil
    }

    /// Like ``returnValue(method:)`` but throws a fault, or why the value is missing/invalid.
    public func requireReturnValue(method: String? = nil) throws -> ReturnValue {
        try throwIfFault()
        let name = method.map { "\($0)_OUTPUT" }
        guard let output = name.map({ body.child($0) }) ?? body.children.first(where: { $0.localName.hasSuffix("_OUTPUT") })
        else { throw WSManEnvelopeError.missingElement(name ?? "*_OUTPUT") }
        guard let element = output.child("ReturnValue") else {
            throw WSManEnvelopeError.missingElement("\(output.localName)/ReturnValue")
        }
        let text = element.trimmedText
        guard let code = Int(text) else { throw WSManEnvelopeError.invalidValue(element: "ReturnValue", value: text) }
        return ReturnValue(code)
    }
}

/// On the host side an envelope is always a device's reply.
public typealias WSManResponse = WSManEnvelope
