import TetherJSON

/// How the host guards a front end's mount, from its `tether.frontend.http/1` manifest:
///
/// ```json
/// {"auth": "bearer",
///  "public": [{"method": "POST", "path": "/authorize"}, {"method": "GET", "path": "/health"}],
///  "unauthorized": {"status": 401, "headers": {…}, "body_json": {…}}}
/// ```
///
/// With `auth: "bearer"`, every request except those to a `public` path (relative to the mount,
/// case-insensitive; any method, so the plugin still answers e.g. 404/405 itself) must carry `Authorization: Bearer <token>` valid for the host; else
/// the host answers the manifest's `unauthorized` reply (default: a terse 401) WITHOUT reading
/// the body or calling the plugin. Public requests may carry only small bodies
/// (`SecuritySettings.unauthenticatedBodyBytes`). Verified claims reach the plugin as
/// `principal`.
public struct FrontendAccess: Sendable, Equatable {
    /// The host checks bearer tokens for this mount.
    public var requiresToken = false
    /// Lower-case paths, relative to the mount, that need no token.
    public var publicPaths: Set<String> = []
    /// The reply to a request without a valid token (the plugin's dialect; host-neutral).
    public var unauthorizedReply: JSONValue?

    public init() {}

    init(manifest: JSONValue) {
        requiresToken = manifest["auth"]?.stringValue == "bearer"
        for route in manifest["public"]?.arrayValue ?? [] {
            guard let path = route["path"]?.stringValue else { continue }
            publicPaths.insert(path.lowercased())
        }
        unauthorizedReply = manifest["unauthorized"]
    }

    /// Whether a request needs no token (also true for every request when no token is required).
    func isPublic(relativePath: String) -> Bool {
        !requiresToken || publicPaths.contains(relativePath)
    }
}
