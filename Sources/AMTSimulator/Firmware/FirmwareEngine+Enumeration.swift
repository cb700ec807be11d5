import WSMan

/// WS-Enumeration: Enumerate opens a context over a snapshot of the class's instances, Pull
/// pages through it. An Enumerate with `wsman:OptimizeEnumeration` (DSP0226 §8.2.3) carries
/// the first page in the EnumerateResponse itself, as AMT firmware answers it.
extension FirmwareEngine {
    /// Answers an Enumerate of `className` over `items`.
    mutating func enumerate(_ className: String, items: [FirmwareInstance], envelope: WSManEnvelope) -> Outcome {
        let id = nextEnumerationContextID()
        guard let request = envelope.body.child("Enumerate"), request.child("OptimizeEnumeration") != nil,
              !faults.ignoreOptimizedEnumeration
        else {
            openEnumerationContext(id, for: className, items: items)
            return .enumeration(context: id)
        }
        if faults.refuseOptimizedEnumeration {
            return .fault(WSManFault(code: "a:Sender", subcode: "c:UnsupportedFeature",
                                     reason: "The specified feature is not supported.", action: WSManAction.wsmanFault))
        }
        // DSP0226: without wsman:MaxElements an optimized enumeration returns one item.
        let (page, rest) = Self.split(items, first: Self.maxElements(of: request) ?? 1)
        if !rest.isEmpty { openEnumerationContext(id, for: className, items: rest) }
        return .optimizedEnumeration(items: page, context: id, endOfSequence: rest.isEmpty)
    }

    /// Answers a Pull with the next items of its context (up to its `MaxElements`; all when it
    /// names none). With `className`, only a context of that class is accepted.
    mutating func pull(_ envelope: WSManEnvelope, className: String? = nil, call: inout FirmwareCall) -> Outcome {
        let request = envelope.body.child("Pull")
        let id = request?.child("EnumerationContext")?.trimmedText ?? ""
        call.inputs["EnumerationContext"] = id
        guard let context = takeEnumerationContext(id), className == nil || context.className == className else {
            return .fault(WSManFault(code: "a:Receiver", subcode: "g:InvalidEnumerationContext",
                                     reason: "The supplied enumeration context is invalid.",
                                     action: WSManAction.addressingFault))
        }
        let (page, rest) = Self.split(context.items, first: request.flatMap(Self.maxElements(of:)) ?? Int.max)
        guard !rest.isEmpty else { return .items(page, nextContext: nil) }
        let next = nextEnumerationContextID()
        openEnumerationContext(next, for: context.className, items: rest)
        return .items(page, nextContext: next)
    }

    /// A positive `MaxElements` child of `request`, if any.
    private static func maxElements(of request: XMLElementNode) -> Int? {
        guard let text = request.child("MaxElements")?.trimmedText, let value = Int(text), value > 0 else { return nil }
        return value
    }

    private static func split(_ items: [FirmwareInstance], first count: Int) -> ([FirmwareInstance], [FirmwareInstance]) {
        let cut = min(count, items.count)
        return (Array(items[..<cut]), Array(items[cut...]))
    }
}
