import Testing
@testable import DescentSession

/// The loss and norm histories stay bounded on very long runs, dropping the oldest steps.
@Suite struct StepHistoryTests {
    @Test func aMillionAndOneLossesDropTheOldestHalf() {
        var h = StepSeries()
        for step in 1...StepSeries.maxValues { h.append(step: step, value: Double(step)) }
        #expect(h.count == StepSeries.maxValues)
        #expect(h.firstStep == 1)
        h.append(step: StepSeries.maxValues + 1, value: -1)
        #expect(h.count == StepSeries.maxValues / 2 + 1)
        #expect(h.firstStep == StepSeries.maxValues / 2 + 1)
        #expect(h.values.first == Double(StepSeries.maxValues / 2 + 1))
        #expect(h.values.last == -1)
        h.truncate(toStep: StepSeries.maxValues)  // back 1
        #expect(h.values.last == Double(StepSeries.maxValues))
    }

    @Test func normRowsKeepTheirWidth() {
        var h = StepSeries()
        let layers = 7
        let steps = StepSeries.maxValues / layers + 1
        for step in 1...steps { h.append(step: step, values: Array(repeating: Double(step), count: layers)) }
        #expect(h.count == steps - steps / 2)  // the trim drops half the steps kept
        #expect(h.rows.first == Array(repeating: Double(h.firstStep), count: layers))
        #expect(h.rows.last == Array(repeating: Double(steps), count: layers))
    }
}
