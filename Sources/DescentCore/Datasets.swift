// The built-in toy data sets (xor, circles, spiral, line), drawn from a seeded RandomSource.
import Foundation

/// The built-in toy data sets of `data xor | circles | spiral | line`, drawn from the
/// session's seeded random source so that the same seed gives the same points.
public enum Datasets {
    /// The four corners of the unit square; y = x₁ XOR x₂.
    public static func xor() -> Dataset {
        Dataset(x: Matrix([[0, 0], [0, 1], [1, 0], [1, 1]]), y: Matrix(column: [0, 1, 1, 0]))
    }

    /// Two concentric circles, radius 1 (class 0) and 0.5 (class 1), n points in all, with
    /// Gaussian noise of standard deviation `noise` on each coordinate.
    public static func circles(n: Int, noise: Double, random: inout RandomSource) -> Dataset {
        var x = Matrix(rows: n, cols: 2), y = Matrix(rows: n, cols: 1)
        for i in 0..<n {
            let label = i % 2
            let radius = label == 0 ? 1.0 : 0.5
            let angle = random.uniform(0, 2 * .pi)
            x[i, 0] = radius * Foundation.cos(angle) + noise * random.normal()
            x[i, 1] = radius * Foundation.sin(angle) + noise * random.normal()
            y[i, 0] = Double(label)
        }
        return Dataset(x: x, y: y)
    }

    /// `classes` interleaved spiral arms (the CS231n data set), n points in all, labels
    /// 0…classes−1; `noise` is the standard deviation added to each point's angle.
    public static func spiral(n: Int, classes: Int, noise: Double, random: inout RandomSource) -> Dataset {
        var x = Matrix(rows: n, cols: 2), y = Matrix(rows: n, cols: 1)
        let perClass = Swift.max(1, n / classes)
        for i in 0..<n {
            let c = Swift.min(i / perClass, classes - 1)
            let k = i - c * perClass
            let r = Double(k) / Double(Swift.max(perClass - 1, 1))
            let theta = Double(c) * 4 + 4 * r + noise * random.normal()
            x[i, 0] = r * Foundation.sin(theta)
            x[i, 1] = r * Foundation.cos(theta)
            y[i, 0] = Double(c)
        }
        return Dataset(x: x, y: y)
    }

    /// n points on the line y = 2x − 1 with x evenly spaced in [−1, 1], plus Gaussian noise
    /// of standard deviation `noise` on y.
    public static func line(n: Int, noise: Double, random: inout RandomSource) -> Dataset {
        var x = Matrix(rows: n, cols: 1), y = Matrix(rows: n, cols: 1)
        for i in 0..<n {
            let v = n == 1 ? 0 : -1 + 2 * Double(i) / Double(n - 1)
            x[i, 0] = v
            y[i, 0] = 2 * v - 1 + noise * random.normal()
        }
        return Dataset(x: x, y: y)
    }
}
