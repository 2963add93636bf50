// Initializer: the distributions weights are drawn from (zeros, normal, uniform, standard,
// xavier, he).
import Foundation

/// How weights are drawn when a network is built or re-initialised. Biases always start at 0.
public enum Initializer: Equatable, Sendable {
    case zeros
    case normal(std: Double)
    case uniform(limit: Double)
    /// Glorot & Bengio's "standard" init, `U[−1/√n_in, 1/√n_in]`; also PyTorch's default for
    /// `nn.Linear`, which is why it is Descent's default.
    case standard
    /// Glorot & Bengio's normalised init, `U[±√6/√(n_in+n_out)]`.
    case xavier
    /// He et al. (2015), `N(0, 2/n_in)`, for ReLU nets.
    case he

    /// A weight matrix of shape in×out drawn from this distribution.
    public func weights(inputs: Int, outputs: Int, random: inout RandomSource) -> Matrix {
        let n = Double(inputs)
        switch self {
        case .zeros:
            return Matrix(rows: inputs, cols: outputs)
        case .normal(let std):
            return random.normalMatrix(rows: inputs, cols: outputs, std: std)
        case .uniform(let limit):
            return random.uniformMatrix(rows: inputs, cols: outputs, low: -limit, high: limit)
        case .standard:
            let limit = 1 / n.squareRoot()
            return random.uniformMatrix(rows: inputs, cols: outputs, low: -limit, high: limit)
        case .xavier:
            let limit = (6 / (n + Double(outputs))).squareRoot()
            return random.uniformMatrix(rows: inputs, cols: outputs, low: -limit, high: limit)
        case .he:
            return random.normalMatrix(rows: inputs, cols: outputs, std: (2 / n).squareRoot())
        }
    }
}
