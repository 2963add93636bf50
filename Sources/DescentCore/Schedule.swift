// Schedule: the learning rate as a function of the step (fixed, exponential, step decay).
import Foundation

/// Learning-rate schedules, the article's three. t is the number of steps already taken
/// (0 for the first step).
public enum Schedule: Equatable, Sendable {
    /// lr_t = lr
    case fixed
    /// lr_t = lr · γ^t
    case exponential(gamma: Double)
    /// lr_t = lr · γ^⌊t/every⌋
    case step(every: Int, gamma: Double)

    public func rate(base lr: Double, step t: Int) -> Double {
        switch self {
        case .fixed: lr
        case .exponential(let gamma): lr * Foundation.pow(gamma, Double(t))
        case .step(let every, let gamma): lr * Foundation.pow(gamma, Double(t / every))
        }
    }
}
