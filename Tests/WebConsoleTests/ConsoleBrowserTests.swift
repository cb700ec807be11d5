import Testing

/// The browser suites, one at a time: each drives its own headless Chromium, and two at once
/// would only compete for the machine's cores with the rest of the test run.
@Suite(.serialized) enum ConsoleBrowserTests {}
