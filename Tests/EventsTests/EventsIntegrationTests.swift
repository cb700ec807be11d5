import Testing

/// Every test of this target that starts a host or a fleet runs inside this suite, one at a
/// time: on a shared 2-core machine the hosts, fleets (up to 500 devices) and brokers would
/// otherwise compete with each other and with the rest of the test run.
@Suite(.serialized) struct EventsIntegrationTests {}
