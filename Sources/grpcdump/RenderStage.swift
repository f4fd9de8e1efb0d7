import Analysis
import Dispatch
import Render

/// The view of the chosen layer and standard output, rendering either where events are made or
/// on a thread of its own. Reading a file renders (JSON, schema decoding) on its own thread while
/// the next chunk is decoded, so the two stages share the machine's cores; at most
/// `maxWaitingBatches` batches of events wait, which bounds memory. Output is the same either way:
/// one thread renders every batch, in order.
final class RenderStage: @unchecked Sendable {
    static let maxWaitingBatches = 4

    // Touched only on `queue` when there is one (or by `withView`, which waits for it).
    private var view: LayerView
    private var out = TextOutput()
    private let queue: DispatchQueue?
    private let slots = DispatchSemaphore(value: RenderStage.maxWaitingBatches)

    init(view: LayerView, onOwnThread: Bool) {
        self.view = view
        queue = onOwnThread ? DispatchQueue(label: "grpcdump.render") : nil
    }

    func render(_ events: [AnalysisEvent]) {
        guard let queue else { return view.render(events, to: &out) }
        slots.wait()
        queue.async {
            self.view.render(events, to: &self.out)
            self.slots.signal()
        }
    }

    /// `body` on the view and the output, once every batch handed over so far is rendered.
    func withView<Result>(_ body: (inout LayerView, inout TextOutput) -> Result) -> Result {
        guard let queue else { return body(&view, &out) }
        return queue.sync { body(&view, &out) }
    }
}
