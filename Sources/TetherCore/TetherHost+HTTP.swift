extension TetherHost {
    /// Starts the HTTP(S) listener serving front-end plugin mounts (issue 7). Filled in by the
    /// front-end work.
    func startHTTP() async throws(ConfigurationError) {}

    /// Stops the HTTP listener.
    func stopHTTP() async {}
}
