import GRPCCore

/// Sends the planned calls: at most `concurrency` at once, started no faster than `rate` a
/// second — or, with `startOffsets` (`--timing captured`), each call as long after the first as it
/// was in the capture and its request messages as they were, however many overlap. The outcomes
/// come back in the order of the plan (`nil` where nothing was sent).
public struct ReplayRunner: Sendable {
    public var concurrency: Int
    public var rate: Double?
    /// Nanoseconds after the first call at which each call starts (captured timing).
    public var startOffsets: [Int64]?

    public init(concurrency: Int = 1, rate: Double? = nil, startOffsets: [Int64]? = nil) {
        self.concurrency = startOffsets == nil ? max(1, concurrency) : .max
        self.rate = rate
        self.startOffsets = startOffsets
    }

    public func run(_ requests: [ReplayRequest?], to target: ReplayTarget, recorder: ReplayRecorder? = nil) async throws -> [ReplayOutcome?] {
        let startOffsets = startOffsets
        return try await ReplayClient.with(target, recorder: recorder) { client in
            await withTaskGroup(of: (Int, ReplayOutcome).self) { group in
                var outcomes = [ReplayOutcome?](repeating: nil, count: requests.count)
                let clock = ContinuousClock(), started = clock.now
                var inFlight = 0, sent = 0
                for (index, request) in requests.enumerated() {
                    guard let request else { continue }
                    if inFlight == concurrency, let (done, outcome) = await group.next() {
                        outcomes[done] = outcome
                        inFlight -= 1
                    }
                    if let rate { try? await clock.sleep(until: started + .seconds(Double(sent) / rate)) }
                    if let startOffsets {
                        group.addTask {
                            try? await clock.sleep(until: started + .nanoseconds(startOffsets[index]))
                            return (index, await ReplayClient.send(request, with: client, paced: true))
                        }
                    } else {
                        group.addTask { (index, await ReplayClient.send(request, with: client)) }
                    }
                    inFlight += 1
                    sent += 1
                }
                for await (done, outcome) in group { outcomes[done] = outcome }
                return outcomes
            }
        }
    }
}
