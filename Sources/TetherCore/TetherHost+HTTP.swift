import Foundation
import PluginHost
import TetherJSON
import TetherTLS

extension TetherHost {
    /// Starts the HTTP listener (unless HTTPS-only), HTTPS when `httpsPort` is set (on
    /// `httpsBind`), and `/metrics` on its own listener when `metricsPort` is set; registers the
    /// `auth.*` commands front ends use for tokens. Raises the soft open-file limit first.
    func startHTTP() async throws(ConfigurationError) {
        let security = configuration.security
        let fileLimit = FileDescriptorLimit.raiseToMaximum()
        let dataDirectory = URL(fileURLWithPath: configuration.dataDirectory)
        DataDirectoryPermissions.check(dataDirectory, logger: logger)
        let credentials = try AdminCredentials.resolve(
            environment: ProcessInfo.processInfo.environment,
            configured: (configuration.adminUser, configuration.adminPassword), dataDirectory: dataDirectory, logger: logger)
        let signer = WebTokenSigner(secret: try Self.tokenSecret(in: dataDirectory))
        let tokens = try TokenAuthority(signer: signer, credentials: credentials, dataDirectory: dataDirectory)
        let metrics = HTTPMetrics(factory: metricsFactory)
        registerAuthCommands(
            credentials: credentials, tokens: tokens,
            throttle: LoginThrottle(settings: security), metrics: metrics)
        registerRedirectionTokenCommand(tokens: tokens)
        let mounts = try FrontendMount.resolve(
            contributions: plugins.plugins(contributing: "tether.frontend.http/1").map { ($0.plugin.id, $0.manifest) },
            configured: configuration.frontends)
        guard security.httpEnabled || configuration.httpsPort != nil else {
            throw ConfigurationError("httpEnabled is false but no httpsPort is set: nothing would be served")
        }
        let gateway = FrontendGateway(
            mounts: mounts, plugins: plugins, metrics: metrics, maxBodyBytes: configuration.httpMaxBodyBytes,
            timeout: configuration.httpRequestTimeout, logger: logger, security: security, tokens: tokens,
            servesMetrics: security.metricsPort == nil, isSecure: false,
            exposition: { [weak self] in self?.metricsExposition() ?? "" })
        var started: [HTTPListener] = []
        do throws(ConfigurationError) {
            let http = security.httpEnabled
                ? try await HTTPListener.start(
                    gateway: gateway, host: configuration.httpBind, port: configuration.httpPort, tls: nil, security: security,
                    logger: logger, activation: activationEndpoint)
                : nil
            if let http { started.append(http) }
            var https: HTTPListener?
            if let httpsPort = configuration.httpsPort {
                https = try await startHTTPS(gateway: gateway.serving(metrics: gateway.servesMetrics, secure: true), port: httpsPort)
                started.append(https!)
            }
            var metricsListener: HTTPListener?
            if let metricsPort = security.metricsPort {
                var metricsSecurity = security
                metricsSecurity.metricsRequireToken = false
                metricsListener = try await HTTPListener.start(
                    gateway: gateway.serving(metrics: true, secure: false, mounts: []), host: security.metricsBind, port: metricsPort,
                    tls: nil, security: metricsSecurity, logger: logger)
                started.append(metricsListener!)
            }
            running.withLock {
                $0.http = HTTPRuntime(http: http, https: https, metricsListener: metricsListener, metrics: metrics, mounts: mounts)
            }
            logger.info(
                "http listening",
                metadata: [
                    "bind": "\(configuration.httpBind)", "port": "\(http.map { String($0.port) } ?? "off")",
                    "httpsBind": "\(security.httpsBind ?? configuration.httpBind)", "httpsPort": "\(https.map { String($0.port) } ?? "off")",
                    "metrics": "\(metricsListener.map { "\(security.metricsBind):\($0.port)" } ?? "on the front-end listeners")",
                    "mounts": "\(mounts.map { "\($0.name):\($0.prefix)" }.joined(separator: ","))",
                    "maxConnections": "\(security.httpMaxConnections)", "openFileLimit": "\(fileLimit)",
                ])
        } catch {
            for listener in started { await listener.stop() }
            throw error
        }
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
        let security = configuration.security
        return try await HTTPListener.start(
            gateway: gateway, host: security.httpsBind ?? configuration.httpBind, port: port, tls: ServerTLS(tls), security: security,
            logger: logger, activation: activationEndpoint)
    }

    /// Stops the HTTP(S) listeners: no new connections, in-flight requests finish until
    /// `deadline`, then the rest are cut (logged). Returns whether everything drained in time.
    @discardableResult
    func stopHTTP(until deadline: ContinuousClock.Instant = .now + .seconds(10)) async -> Bool {
        guard let runtime = running.withLock({ state -> HTTPRuntime? in
            defer { state.http = nil }
            return state.http
        }) else { return true }
        async let https = runtime.https?.stop(deadline: deadline) ?? true
        async let metricsListener = runtime.metricsListener?.stop(deadline: deadline) ?? true
        let drained = await runtime.http?.stop(deadline: deadline) ?? true
        guard await https, await metricsListener, drained else {
            logger.warning("HTTP requests were still running at the shutdown deadline and were cut")
            return false
        }
        return true
    }

    /// The bound HTTP port, once started (useful when configured as 0); nil when HTTPS-only.
    public var httpPort: Int? { running.withLock { $0.http?.http?.port } }
    /// The bound port of the separate `/metrics` listener, when configured.
    public var metricsPort: Int? { running.withLock { $0.http?.metricsListener?.port } }
    /// The bound HTTPS port, when HTTPS is on.
    public var httpsPort: Int? { running.withLock { $0.http?.https?.port } }
    /// The HTTP listener's counters, once started.
    public var httpMetrics: HTTPMetrics? { running.withLock { $0.http?.metrics } }
    /// The front ends being served, longest mount first.
    public var frontendMounts: [FrontendMount] { running.withLock { $0.http?.mounts ?? [] } }

    /// `auth.login {username, password, expiresInMinutes?, source?}` → `{token, expiresAt}`;
    /// `auth.verify {token}` → the token's claims; `auth.logout {token}` revokes one token;
    /// `auth.revokeAll {}` revokes every token issued so far. Failures are `unauthorized`
    /// ("invalid token" — no detail on which check failed). Failed logins are limited per
    /// `source` and in total (`unavailable` with `detail.retryAfterSeconds`), logged and counted.
    private func registerAuthCommands(
        credentials: AdminCredentials, tokens: TokenAuthority, throttle: LoginThrottle, metrics: HTTPMetrics
    ) {
        let logger = self.logger
        bus.register(
            name: "auth.login", summary: "Issue an API token for the administrator: {username, password, expiresInMinutes?, source?}",
            provider: "host"
        ) { args in
            guard let username = args["username"]?.stringValue, let password = args["password"]?.stringValue else {
                throw CommandError(.badRequest, "auth.login needs {\"username\": string, \"password\": string}")
            }
            let minutes = args["expiresInMinutes"]?.intValue ?? 1440
            guard (1...525_600).contains(minutes) else { throw CommandError(.badRequest, "expiresInMinutes must be 1–525600") }
            let source = args["source"]?.stringValue ?? "local"
            if let wait = throttle.retryAfter(source: source) {
                metrics.recordLoginThrottled()
                let seconds = max(1, Int(wait.components.seconds) + (wait.components.attoseconds > 0 ? 1 : 0))
                throw CommandError(
                    .unavailable, "too many failed logins; try again in \(seconds) s", detail: ["retryAfterSeconds": .number(seconds)])
            }
            guard credentials.matches(username: username, password: password) else {
                throttle.recordFailure(source: source)
                metrics.recordLoginFailure()
                logger.warning("failed login", metadata: ["source": "\(source)"])
                throw CommandError(.unauthorized, "Incorrect Username and/or Password!")
            }
            let now = Date()
            return [
                "token": .string(try tokens.issue(subject: credentials.username, lifetime: .seconds(minutes * 60), now: now)),
                "expiresAt": .int(Int64(now.timeIntervalSince1970) + Int64(minutes * 60)),
            ]
        }
        bus.register(name: "auth.verify", summary: "Check an API token: {token} → its claims", provider: "host") { args in
            guard let token = args["token"]?.stringValue else {
                throw CommandError(.badRequest, "auth.verify needs {\"token\": string}")
            }
            let claims = try tokens.verify(token)
            // A redirection token (deviceId = a GUID) opens that device's redirection only,
            // never the API: it verifies only when the caller asks for that device.
            let wanted = args["deviceId"]?.stringValue?.lowercased() ?? "*"
            guard claims["deviceId"]?.stringValue?.lowercased() == wanted else {
                throw CommandError(.unauthorized, "invalid token")
            }
            return claims
        }
        bus.register(name: "auth.logout", summary: "Revoke an API token: {token}", provider: "host") { args in
            guard let token = args["token"]?.stringValue else {
                throw CommandError(.badRequest, "auth.logout needs {\"token\": string}")
            }
            let claims = try tokens.revoke(token)
            logger.info("token revoked", metadata: ["subject": "\(claims["sub"]?.stringValue ?? "")"])
            return ["revoked": true]
        }
        bus.register(name: "auth.revokeAll", summary: "Revoke every API token issued so far", provider: "host") { _ in
            try tokens.revokeAll()
            logger.notice("every API token issued so far was revoked")
            return ["revoked": true]
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
