import WSMan

/// One TCP connection to AMT's WS-Man port (16992) over an APF channel: parses HTTP/1.1
/// requests incrementally (keep-alive, pipelining, any split), answers each through the
/// firmware, honours `Connection: close`, and answers unparsable input with 400 and a close.
/// Used on the device's event loop only.
final class AMTWSManConnection: FirmwareConnection {
    private let firmware: AMTFirmware
    private var parser = HTTPRequestParser()
    private var output: FirmwareOutput?
    private var finished = false

    init(firmware: AMTFirmware) {
        self.firmware = firmware
    }

    func start(output: FirmwareOutput) {
        self.output = output
    }

    func received(_ bytes: [UInt8]) {
        guard !finished else { return }
        parser.append(bytes)
        while !finished {
            let request: HTTPRequestMessage?
            do {
                request = try parser.nextRequest()
            } catch {
                send(firmware.badRequest())
                return
            }
            guard let request else { return }
            let faults = firmware.faults
            if faults.neverAnswer { continue }
            let reply = firmware.serve(request)
            send(reply, delay: faults.responseDelay)
        }
    }

    func closed() {
        finished = true
        output = nil
    }

    private func send(_ reply: FirmwareReply, delay: Duration? = nil) {
        guard let output else { return }
        if reply.closeAfter { finished = true }
        let bytes = reply.bytes
        let close = reply.closeAfter
        if let delay, delay > .zero {
            output.after(delay) {
                output.send(bytes)
                if close { output.close() }
            }
        } else {
            output.send(bytes)
            if close { output.close() }
        }
    }
}
