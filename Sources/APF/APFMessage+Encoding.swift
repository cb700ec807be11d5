extension APFMessage {
    /// Appends the exact wire bytes of this message to `buffer`.
    ///
    /// Strings are written as a u32 length plus raw bytes: Latin-1 when every scalar is
    /// ≤ U+00FF (so decoded strings re-encode to the same bytes), otherwise UTF-8. The encoder
    /// does not apply ``APFLimits``; callers encode values they trust. Lengths above
    /// `UInt32.max` cannot occur for in-memory values of realistic size and are truncated.
    public func encode(into buffer: inout [UInt8]) {
        buffer.append(messageType.rawValue)
        switch self {
        case .disconnect(let reason):
            buffer.appendUInt32(reason.rawValue)
            buffer.append(contentsOf: [0, 0])
        case .serviceRequest(let service), .serviceAccept(let service):
            buffer.appendString(service)
        case .userAuthRequest(let request):
            buffer.appendString(request.username)
            buffer.appendString(request.serviceName)
            buffer.appendString(request.method.name)
            if case .password(let password) = request.method {
                buffer.append(0)
                buffer.appendString(password)
            }
        case .userAuthFailure(let methods, let partialSuccess):
            buffer.appendString(methods)
            buffer.append(partialSuccess ? 1 : 0)
        case .userAuthSuccess, .requestFailure:
            break
        case .globalRequest(let request, let wantReply):
            buffer.appendString(request.name)
            buffer.append(wantReply ? 1 : 0)
            switch request {
            case .tcpipForward(let address, let port), .cancelTCPIPForward(let address, let port):
                buffer.appendString(address)
                buffer.appendUInt32(port)
            case .udpSendTo(let udp):
                buffer.appendString(udp.address)
                buffer.appendUInt32(udp.port)
                buffer.appendString(udp.originatorAddress)
                buffer.appendUInt32(udp.originatorPort)
                buffer.appendBytes(udp.data)
            case .other:
                break
            }
        case .requestSuccess(let port):
            if let port { buffer.appendUInt32(port) }
        case .channelOpen(let open):
            buffer.appendString(open.channelType.name)
            buffer.appendUInt32(open.senderChannel)
            buffer.appendUInt32(open.initialWindowSize)
            buffer.appendUInt32(open.maximumPacketSize)
            buffer.appendString(open.connectedAddress)
            buffer.appendUInt32(open.connectedPort)
            buffer.appendString(open.originatorAddress)
            buffer.appendUInt32(open.originatorPort)
        case .channelOpenConfirmation(let recipient, let sender, let window, let maximumPacket):
            buffer.appendUInt32(recipient)
            buffer.appendUInt32(sender)
            buffer.appendUInt32(window)
            buffer.appendUInt32(maximumPacket)
        case .channelOpenFailure(let recipient, let reason):
            buffer.appendUInt32(recipient)
            buffer.appendUInt32(reason.rawValue)
            buffer.appendUInt32(0)
            buffer.appendUInt32(0)
        case .windowAdjust(let recipient, let bytesToAdd):
            buffer.appendUInt32(recipient)
            buffer.appendUInt32(bytesToAdd)
        case .channelData(let recipient, let data):
            buffer.appendUInt32(recipient)
            buffer.appendBytes(data)
        case .channelClose(let recipient):
            buffer.appendUInt32(recipient)
        case .protocolVersion(let version):
            buffer.appendUInt32(version.major)
            buffer.appendUInt32(version.minor)
            buffer.appendUInt32(version.triggerReason.rawValue)
            buffer.append(contentsOf: version.uuid.rawBytes)
            let count = APFProtocolVersion.reservedByteCount
            buffer.append(contentsOf: version.reserved.prefix(count))
            if version.reserved.count < count {
                buffer.append(contentsOf: repeatElement(0, count: count - version.reserved.count))
            }
        case .keepAliveRequest(let cookie), .keepAliveReply(let cookie):
            buffer.appendUInt32(cookie)
        case .keepAliveOptionsRequest(let interval, let timeout), .keepAliveOptionsReply(let interval, let timeout):
            buffer.appendUInt32(interval)
            buffer.appendUInt32(timeout)
        }
    }

    /// The exact wire bytes of this message.
    public var encodedBytes: [UInt8] {
        var buffer: [UInt8] = []
        encode(into: &buffer)
        return buffer
    }

    /// Appends a CHANNEL_DATA message for `data` without first building an ``APFMessage``
    /// (avoids one copy of the payload on the send path).
    public static func encodeChannelData(
        recipientChannel: UInt32,
        data: some Collection<UInt8>,
        into buffer: inout [UInt8]
    ) {
        buffer.append(APFMessageType.channelData.rawValue)
        buffer.appendUInt32(recipientChannel)
        buffer.appendUInt32(UInt32(truncatingIfNeeded: data.count))
        buffer.append(contentsOf: data)
    }
}

extension [UInt8] {
    mutating func appendUInt32(_ value: UInt32) {
        append(UInt8(truncatingIfNeeded: value >> 24))
        append(UInt8(truncatingIfNeeded: value >> 16))
        append(UInt8(truncatingIfNeeded: value >> 8))
        append(UInt8(truncatingIfNeeded: value))
    }

    mutating func appendBytes(_ bytes: [UInt8]) {
        appendUInt32(UInt32(truncatingIfNeeded: bytes.count))
        append(contentsOf: bytes)
    }

    mutating func appendString(_ string: String) {
        appendBytes(APFLatin1.bytes(of: string))
    }
}
