import DescentCore
import DescentLanguage

/// `plot boundary` and `plot neurons L`: the net run over a grid covering the data's plane.
/// Both only read the session, and throw before building anything.
extension Session {
    /// Cells per side of `plot boundary`'s grid: finer than any terminal map or SVG draws it,
    /// and 9 216 rows are still one quick matrix product.
    static let boundaryResolution = 96
    /// Cells per side of each `plot neurons` map.
    static let unitResolution = 40
    /// `plot neurons` draws at most this many units of a wide layer.
    static let maxUnitMaps = 64

    func boundaryMap() throws(Diagnostic) -> BoundaryMap {
        let state = try bench.requireNetwork(for: "plot boundary")
        let data = try planeData(for: "plot boundary")
        _ = try bench.requireTrainable(at: nil, for: "plot boundary")
        // The plane covers the training and the test rows; test points are drawn apart.
        let test = bench.testData.flatMap { $0.x.cols == 2 ? $0 : nil }
        let (x, y) = (PlaneGrid.padded(data.x.column(0) + (test?.x.column(0) ?? [])),
                      PlaneGrid.padded(data.x.column(1) + (test?.x.column(1) ?? [])))
        let n = Session.boundaryResolution
        let output = state.network.predict(PlaneGrid.centres(x: x, y: y, columns: n, rows: n))
        let loss = bench.config.loss
        let values: [Double]
        let scale: MapScale
        let valueLabel: String
        switch loss {
        case .bce:
            values = output.column(0)
            (scale, valueLabel) = (.probability, "P(class 1)")
        case .ce:
            values = (0..<output.rows).map { Double(output.argmaxInRow($0)) }
            (scale, valueLabel) = (.classes(count: output.cols), "class")
        case .mse:
            values = output.column(0)
            let range = PlaneGrid.padded(values + data.y.column(0), margin: 0)
            (scale, valueLabel) = (.level(low: range.lowerBound, high: range.upperBound), "ŷ")
        }
        func points(of rows: Dataset, isTest: Bool) -> [MapPoint] {
            let targets = loss == .ce && rows.y.cols > 1
                ? (0..<rows.y.rows).map { Double(rows.y.argmaxInRow($0)) } : rows.y.column(0)
            return (0..<rows.x.rows).map { MapPoint(x: rows.x[$0, 0], y: rows.x[$0, 1], target: targets[$0], isTest: isTest) }
        }
        let training = points(of: data, isTest: false), held = test.map { points(of: $0, isTest: true) } ?? []
        let what = switch loss {
        case .bce: "P(class 1)" + (output.cols > 1 ? " of output 1" : "")
        case .ce: "the net's class (arg-max)"
        case .mse: "ŷ" + (output.cols > 1 ? " (output 1)" : "")
        }
        let title = "\(what) over the plane, with the \(counted(training.count, "training point"))"
            + (held.isEmpty ? "" : " and \(counted(held.count, "test point"))")
        return BoundaryMap(title: title, valueLabel: valueLabel, grid: PlaneGrid(x: x, y: y, columns: n, rows: n, values: values),
                           scale: scale, points: training + held)
    }

    func unitMaps(layer: Located<Int>) throws(Diagnostic) -> UnitMaps {
        let state = try bench.requireNetwork(for: "plot neurons")
        let network = state.network
        try network.checkLayer(layer.value, named: "plot neurons \(layer.value)", at: layer.range)
        let data = try planeData(for: "plot neurons")
        guard network.inputs == 2 else {
            throw Diagnostic(network.inputMismatch(columns: 2), suggestion: "rebuild the net for this data, e.g. 'net 2 -> 8 tanh -> 1'")
        }
        // The plane covers the training and the test rows; test points are drawn apart.
        let test = bench.testData.flatMap { $0.x.cols == 2 ? $0 : nil }
        let (x, y) = (PlaneGrid.padded(data.x.column(0) + (test?.x.column(0) ?? [])),
                      PlaneGrid.padded(data.x.column(1) + (test?.x.column(1) ?? [])))
        let n = Session.unitResolution
        var trace = ForwardTrace()
        network.forward(PlaneGrid.centres(x: x, y: y, columns: n, rows: n), trace: &trace)
        let activations = trace.unitOutput(layer.value - 1)  // f(Z): a residual layer's own units, without its input
        let shown = min(activations.cols, Session.maxUnitMaps)
        let units = (0..<shown).map { PlaneGrid(x: x, y: y, columns: n, rows: n, values: activations.column($0)) }
        let activation = network.layers[layer.value - 1].activation
        let isOutput = layer.value == network.depth
        return UnitMaps(title: "layer \(layer.value)\(isOutput ? " (the output)" : ""): each unit's \(activation.name) activation over the plane",
                        valueLabel: "\(activation.name) activation", units: units,
                        scale: Session.unitScale(activation, values: activations.storage), omitted: activations.cols - shown)
    }

    /// The data, checked to have two features.
    private func planeData(for what: String) throws(Diagnostic) -> Dataset {
        guard let data = bench.data else {
            throw Diagnostic("\(what) needs data, and there is none yet", suggestion: "choose 2-feature data, e.g. 'data circles n=200 noise=0.1'")
        }
        guard data.x.cols == 2 else {
            throw Diagnostic("\(what) draws 2-feature data; X has \(counted(data.x.cols, "column"))",
                             suggestion: "e.g. 'data circles n=200 noise=0.1' or 'data xor'")
        }
        return data
    }

    /// The activation's own range where it has one (sigmoid 0…1, tanh −1…1), so that maps
    /// of different nets compare; otherwise the values' range, the same for every unit.
    static func unitScale(_ activation: Activation, values: [Double]) -> MapScale {
        switch activation {
        case .sigmoid: return .level(low: 0, high: 1)
        case .tanh: return .level(low: -1, high: 1)
        default:
            let range = PlaneGrid.padded(values, margin: 0)
            return .level(low: range.lowerBound, high: range.upperBound)
        }
    }
}

extension Matrix {
    /// Column `j` as an array.
    func column(_ j: Int) -> [Double] { (0..<rows).map { self[$0, j] } }

    /// The column of row `i`'s largest entry (the first of ties).
    func argmaxInRow(_ i: Int) -> Int {
        var best = 0
        for j in 1..<Swift.max(cols, 1) where self[i, j] > self[i, best] { best = j }
        return best
    }
}
