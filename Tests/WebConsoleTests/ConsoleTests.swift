import Testing

/// The console's suites, one at a time: each starts its own host (the browser suites also a
/// headless Chromium); run together they would only compete for the machine's cores with the
/// rest of the test run.
@Suite(.serialized) enum ConsoleTests {}
