import Testing
@testable import DescentSession

/// The loss and norm histories stay bounded on very long runs, dropping the oldest steps.
@Suite struct StepHistoryTests {
    @Test func aMillionAndOneLossesDropTheOldestHalf() {
        var h = StepHistory()
        for step in 1...StepHistory.maxValues { h.append(step: step, value: Double(step)) }
        #expect(h.count == StepHistory.maxValues)
        #expect(h.firstStep == 1)
        h.append(step: StepHistory.maxValues + 1, value: -1)
        #expect(h.count == StepHistory.maxValues / 2 + 1)
        #expect(h.firstStep == StepHistory.maxValues / 2 + 1)
        #expect(h.values.first == Double(StepHistory.maxValues / 2 + 1))
        #expect(h.values.last == -1)
        h.truncate(toStep: StepHistory.maxValues)  // back 1
        #expect(h.values.last == Double(StepHistory.maxValues))
    }

    @Test func normRowsKeepTheirWidth() {
        var h = StepHistory()
        let layers = 7
        let steps = StepHistory.maxValues / layers + 1
        for step in 1...steps { h.append(step: step, values: Array(repeating: Double(step), count: layers)) }
        #expect(h.count == steps - steps / 2)  // the trim drops half the steps kept
        #expect(h.rows.first == Array(repeating: Double(h.firstStep), count: layers))
        #expect(h.rows.last == Array(repeating: Double(steps), count: layers))
    }
}
