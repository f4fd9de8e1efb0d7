/// The notes a frame is annotated with (stream states, flow-control windows, SETTINGS…), built
/// only when a view will show them: formatting them for every frame would cost more than
/// decoding the frames.
struct FrameNotes {
    let enabled: Bool
    private(set) var texts: [String] = []

    init(enabled: Bool) {
        self.enabled = enabled
    }

    mutating func add(_ text: @autoclosure () -> String) {
        if enabled { texts.append(text()) }
    }
}
