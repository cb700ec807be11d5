import Foundation
import PluginHost
import TetherJSON
import TetherTLS

extension TetherHost {
    /// The bundled REST front end's plugin id (its config may carry `adminUser`/`adminPassword`).
    static let restFrontendPluginID = "io.tether.frontend-rest"

    /// Starts the HTTP listener (and HTTPS when `httpsPort` is set) serving the front-end plugin
    /// mounts and `GET /metrics`, and registers the `auth.*` commands front ends use for tokens.
    func startHTTP() async throws(ConfigurationError) {
        let dataDirectory = URL(fileURLWithPath: configuration.dataDirectory)
        let credentials = try AdminCredentials.resolve(
            environment: ProcessInfo.processInfo.environment,
            pluginConfig: configuration.pluginConfigs[Self.restFrontendPluginID], dataDirectory: dataDirectory, logger: logger)
        let signer = WebTokenSigner(secret: try Self.tokenSecret(in: dataDirectory))
        registerAuthCommands(credentials: credentials, signer: signer)
        let mounts = try FrontendMount.resolve(
            contributions: plugins.plugins(contributing: "tether.frontend.http/1").map { ($0.plugin.id, $0.manifest) },
            configured: configuration.frontends)
        let metrics = HTTPMetrics()
        let gateway = FrontendGateway(
            mounts: mounts, plugins: plugins, metrics: metrics, maxBodyBytes: configuration.httpMaxBodyBytes,
            timeout: configuration.httpRequestTimeout, logger: logger,
            exposition: { [weak self] in self?.metricsExposition(http: metrics) ?? "" })
        let http = try await HTTPListener.start(
            gateway: gateway, host: configuration.httpBind, port: configuration.httpPort, tls: nil, logger: logger,
            activation: activationEndpoint)
        var https: HTTPListener?
        if let httpsPort = configuration.httpsPort {
            do {
                https = try await startHTTPS(gateway: gateway, port: httpsPort)
            } catch {
                await http.stop()
                throw error
            }
        }
        running.withLock { $0.http = HTTPRuntime(http: http, https: https, metrics: metrics, mounts: mounts) }
        logger.info(
            "http listening",
            metadata: [
                "bind": "\(configuration.httpBind)", "port": "\(http.port)", "httpsPort": "\(https.map { String($0.port) } ?? "off")",
                "mounts": "\(mounts.map { "\($0.name):\($0.prefix)" }.joined(separator: ","))",
            ])
    }

    private func startHTTPS(gateway: FrontendGateway, port: Int) async throws(ConfigurationError) -> HTTPListener {
        guard let authority = certificateAuthority else { throw ConfigurationError("HTTPS needs the certificate authority (the store)") }
        let tls: TLSContext
        do {
            tls = try TLSContext(
                configuration: .server(
                    profile: .modern, certificateChainPEM: authority.serverCertificateChainPEM,
                    privateKeyPEM: authority.serverPrivateKeyPEM))
        } catch {
            throw ConfigurationError("HTTPS TLS: \(error.message)")
        }
        return try await HTTPListener.start(
            gateway: gateway, host: configuration.httpBind, port: port, tls: tls, logger: logger, activation: activationEndpoint)
    }

    /// Stops the HTTP(S) listeners.
    func stopHTTP() async {
        guard let runtime = running.withLock({ state -> HTTPRuntime? in
            defer { state.http = nil }
            return state.http
        }) else { return }
        await runtime.http.stop()
        await runtime.https?.stop()
    }

    /// The bound HTTP port, once started (useful when configured as 0).
    public var httpPort: Int? { running.withLock { $0.http?.http.port } }
    /// The bound HTTPS port, when HTTPS is on.
    public var httpsPort: Int? { running.withLock { $0.http?.https?.port } }
    /// The HTTP listener's counters, once started.
    public var httpMetrics: HTTPMetrics? { running.withLock { $0.http?.metrics } }
    /// The front ends being served, longest mount first.
    public var frontendMounts: [FrontendMount] { running.withLock { $0.http?.mounts ?? [] } }

    /// `auth.login {username, password, expiresInMinutes?}` → `{token, expiresAt}` and
    /// `auth.verify {token}` → the token's claims; both fail with `unauthorized`.
    private func registerAuthCommands(credentials: AdminCredentials, signer: WebTokenSigner) {
        bus.register(
            name: "auth.login", summary: "Issue an API token for the administrator: {username, password, expiresInMinutes?}",
            provider: "host"
        ) { args in
            guard let username = args["username"]?.stringValue, let password = args["password"]?.stringValue else {
                throw CommandError(.badRequest, "auth.login needs {\"username\": string, \"password\": string}")
            }
            guard credentials.matches(username: username, password: password) else {
                throw CommandError(.unauthorized, "Incorrect Username and/or Password!")
            }
            let minutes = args["expiresInMinutes"]?.intValue ?? 1440
            guard (1...525_600).contains(minutes) else { throw CommandError(.badRequest, "expiresInMinutes must be 1–525600") }
            let now = Date()
            return [
                "token": .string(signer.issue(subject: credentials.username, lifetime: .seconds(minutes * 60), now: now)),
                "expiresAt": .int(Int64(now.timeIntervalSince1970) + Int64(minutes * 60)),
            ]
        }
        bus.register(name: "auth.verify", summary: "Check an API token: {token} → its claims", provider: "host") { args in
            guard let token = args["token"]?.stringValue else {
                throw CommandError(.badRequest, "auth.verify needs {\"token\": string}")
            }
            return try signer.verify(token)
        }
    }

    /// The token-signing key: 32 random bytes in `http-token.key` (mode 0600), created once.
    static func tokenSecret(in dataDirectory: URL) throws(ConfigurationError) -> [UInt8] {
        let file = dataDirectory.appendingPathComponent("http-token.key")
        if let data = FileManager.default.contents(atPath: file.path) {
            guard data.count == 32 else { throw ConfigurationError("\(file.path) must hold 32 bytes; delete it to regenerate") }
            return Array(data)
        }
        let secret = try SHA256Digest.randomBytes(32)
        try PrivateFile.create(atPath: file.path, contents: secret)
        return secret
    }
}
