extension APFDecoder {
    /// Parses one message starting at the reader's position.
    static func parse(
        _ reader: inout APFFrameReader,
        requestSuccessForm: APFRequestSuccessForm
    ) throws(APFFrameReader.Stop) -> APFMessage {
        let typeByte = try reader.u8()
        guard let type = APFMessageType(rawValue: typeByte) else {
            throw .fatal(.unknownMessageType(typeByte))
        }
        switch type {
        case .disconnect:
            try reader.need(6)
            let reason = APFDisconnectReason(rawValue: try reader.u32())
            _ = try reader.raw(2)
            return .disconnect(reason: reason)
        case .serviceRequest:
            return .serviceRequest(service: try reader.string("service name"))
        case .serviceAccept:
            return .serviceAccept(service: try reader.string("service name"))
        case .userAuthRequest:
            return .userAuthRequest(try parseUserAuthRequest(&reader))
        case .userAuthFailure:
            let methods = try reader.string("authentication method list")
            return .userAuthFailure(methods: methods, partialSuccess: try reader.bool())
        case .userAuthSuccess:
            return .userAuthSuccess
        case .globalRequest:
            return try parseGlobalRequest(&reader)
        case .requestSuccess:
            switch requestSuccessForm {
            case .withPort: return .requestSuccess(port: try reader.u32())
            case .bare: return .requestSuccess(port: nil)
            }
        case .requestFailure:
            return .requestFailure
        case .channelOpen:
            return .channelOpen(try parseChannelOpen(&reader))
        case .channelOpenConfirmation:
            try reader.need(16)
            return .channelOpenConfirmation(
                recipientChannel: try reader.u32(),
                senderChannel: try reader.u32(),
                initialWindowSize: try reader.u32(),
                maximumPacketSize: try reader.u32()
            )
        case .channelOpenFailure:
            try reader.need(16)
            let recipient = try reader.u32()
            let reason = APFChannelOpenFailureReason(rawValue: try reader.u32())
            _ = try reader.raw(8)
            return .channelOpenFailure(recipientChannel: recipient, reason: reason)
        case .windowAdjust:
            try reader.need(8)
            return .windowAdjust(recipientChannel: try reader.u32(), bytesToAdd: try reader.u32())
        case .channelData:
            let recipient = try reader.u32()
            return .channelData(recipientChannel: recipient, data: try reader.data("channel data"))
        case .channelClose:
            return .channelClose(recipientChannel: try reader.u32())
        case .protocolVersion:
            try reader.need(92)
            let major = try reader.u32()
            let minor = try reader.u32()
            let trigger = APFTriggerReason(rawValue: try reader.u32())
            guard let uuid = AMTUUID(rawBytes: try reader.raw(16)) else {
                throw .fatal(.malformedField(field: "system UUID", reason: "not 16 bytes"))
            }
            let reserved = try reader.raw(APFProtocolVersion.reservedByteCount)
            return .protocolVersion(APFProtocolVersion(
                major: major, minor: minor, triggerReason: trigger, uuid: uuid, reserved: reserved
            ))
        case .keepAliveRequest:
            return .keepAliveRequest(cookie: try reader.u32())
        case .keepAliveReply:
            return .keepAliveReply(cookie: try reader.u32())
        case .keepAliveOptionsRequest:
            try reader.need(8)
            return .keepAliveOptionsRequest(interval: try reader.u32(), timeout: try reader.u32())
        case .keepAliveOptionsReply:
            try reader.need(8)
            return .keepAliveOptionsReply(interval: try reader.u32(), timeout: try reader.u32())
        }
    }

    private static func parseUserAuthRequest(_ reader: inout APFFrameReader) throws(APFFrameReader.Stop) -> APFUserAuthRequest {
        let username = try reader.string("username")
        let service = try reader.string("service name")
        let methodName = try reader.string("authentication method")
        let method: APFUserAuthMethod
        switch methodName {
        case "password":
            let changeFlag = try reader.u8()
            guard changeFlag == 0 else {
                throw .fatal(.malformedField(
                    field: "password change flag",
                    reason: "expected 0 (APF has no password change), got \(changeFlag)"
                ))
            }
            method = .password(try reader.string("password"))
        case "none":
            method = .none
        default:
            method = .other(methodName)
        }
        return APFUserAuthRequest(username: username, serviceName: service, method: method)
    }

    private static func parseGlobalRequest(_ reader: inout APFFrameReader) throws(APFFrameReader.Stop) -> APFMessage {
        let name = try reader.string("global request name")
        let wantReply = try reader.bool()
        let request: APFGlobalRequest
        switch name {
        case APFGlobalRequest.tcpipForwardName:
            let address = try reader.string("forward address")
            request = .tcpipForward(address: address, port: try reader.u32())
        case APFGlobalRequest.cancelTCPIPForwardName:
            let address = try reader.string("forward address")
            request = .cancelTCPIPForward(address: address, port: try reader.u32())
        case APFGlobalRequest.udpSendToName:
            let address = try reader.string("UDP destination address")
            let port = try reader.u32()
            let originator = try reader.string("UDP originator address")
            let originatorPort = try reader.u32()
            let data = try reader.data("UDP payload")
            request = .udpSendTo(APFUDPSendTo(
                address: address, port: port, originatorAddress: originator, originatorPort: originatorPort, data: data
            ))
        default:
            request = .other(name: name)
        }
        return .globalRequest(request, wantReply: wantReply)
    }

    private static func parseChannelOpen(_ reader: inout APFFrameReader) throws(APFFrameReader.Stop) -> APFChannelOpen {
        let typeName = try reader.string("channel type")
        try reader.need(12)
        let sender = try reader.u32()
        let window = try reader.u32()
        let maximumPacket = try reader.u32()
        let connectedAddress = try reader.string("connected address")
        let connectedPort = try reader.u32()
        let originatorAddress = try reader.string("originator address")
        let originatorPort = try reader.u32()
        return APFChannelOpen(
            channelType: APFChannelType(name: typeName),
            senderChannel: sender,
            initialWindowSize: window,
            maximumPacketSize: maximumPacket,
            connectedAddress: connectedAddress,
            connectedPort: connectedPort,
            originatorAddress: originatorAddress,
            originatorPort: originatorPort
        )
    }
}
