import Activation
import Foundation
import TetherJSON

/// One activation (or deactivation / maintenance) as the step log keeps it: who, with which
/// profile, each step's result, how it ended. Never holds a secret.
public struct ActivationRecord: Sendable, Equatable {
    /// Where it stands.
    public enum State: String, Sendable, Equatable {
        case running, succeeded, failed
    }

    /// One logged step.
    public struct Entry: Sendable, Equatable {
        public var at: Date
        public var result: ActivationStepResult
    }

    /// `act-` + 16 hex digits.
    public var id: String
    public var guid: String
    /// `activate`, `deactivate`, `maintenance`.
    public var operation: String
    public var profile: String?
    public var tenantId: String
    public var startedAt: Date
    public var finishedAt: Date?
    public var state: State
    public var steps: [Entry]
    /// The final message sent to the client (the status report or the error text).
    public var message: String?

    /// The record as the `activations.*` commands return it.
    public var json: JSONValue {
        var object: [String: JSONValue] = [
            "id": .string(id), "guid": .string(guid), "operation": .string(operation), "tenantId": .string(tenantId),
            "startedAt": .string(Self.iso(startedAt)), "state": .string(state.rawValue),
            "steps": .array(steps.map { entry in
                [
                    "at": .string(Self.iso(entry.at)), "step": .string(entry.result.step.rawValue),
                    "ok": .bool(entry.result.ok), "detail": .string(entry.result.detail),
                ]
            }),
        ]
        if let profile { object["profile"] = .string(profile) }
        if let finishedAt { object["finishedAt"] = .string(Self.iso(finishedAt)) }
        if let message { object["message"] = .string(message) }
        return .object(object)
    }

    static func iso(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}
