import GRPCCore
import GRPCProtobuf

/// A documented exchange with the reference server exercising one behaviour (docs/reference.md);
/// `run` returns what it did, line by line, and throws `ScenarioFailure` when the server did not
/// behave as specified.
public struct Scenario: Sendable {
    public var name: String
    public var summary: String
    var run: @Sendable (ReferenceClient) async throws -> [String]

    public static var all: [Scenario] { userScenarios + errorScenarios + streamScenarios + transportScenarios }

    public static func named(_ name: String) -> Scenario? { all.first { $0.name == name } }
}

public struct ScenarioFailure: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}

public struct ScenarioResult: Sendable {
    public var name: String
    public var passed: Bool
    public var lines: [String]
}

extension Scenario {
    /// Runs the scenario; a failure or an unexpected error is a result, not a throw.
    public func result(against client: ReferenceClient) async -> ScenarioResult {
        do {
            return ScenarioResult(name: name, passed: true, lines: try await run(client))
        } catch let failure as ScenarioFailure {
            return ScenarioResult(name: name, passed: false, lines: [failure.description])
        } catch {
            return ScenarioResult(name: name, passed: false, lines: ["unexpected error: \(error)"])
        }
    }
}

func expect(_ condition: Bool, _ message: @autoclosure () -> String) throws {
    if !condition { throw ScenarioFailure(message()) }
}

/// Runs `call` expecting it to fail with `code`; returns the error's google.rpc.Status details.
func expectError(_ code: RPCError.Code, _ call: () async throws -> Void) async throws -> RPCError {
    do {
        try await call()
    } catch let error as RPCError {
        try expect(error.code == code, "expected \(code), got \(error.code): \(error.message)")
        return error
    } catch {
        throw ScenarioFailure("expected \(code), got \(error)")
    }
    throw ScenarioFailure("expected \(code), the call succeeded")
}

extension RPCError {
    /// The google.rpc.Status details, described.
    var detailDescriptions: [String] {
        ((try? unpackGoogleRPCStatus())?.details ?? []).map { "\($0)" }
    }
}
