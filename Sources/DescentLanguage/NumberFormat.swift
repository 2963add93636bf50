// NumberFormat: numbers at a given precision, as every output writes them.
import DescentCore
import Foundation

/// How numbers are written: `precision` significant digits, shortest form, no trailing
/// zeros, exponents without padding (`1e-6`). At precision 17 a number is written in the
/// shortest form that reads back to the same Double, so a printed literal round-trips exactly.
public enum NumberFormat {
    public static func format(_ x: Double, precision: Int) -> String {
        if x.isNaN { return "nan" }
        if x.isInfinite { return x > 0 ? "inf" : "-inf" }
        if x == 0 { return x.sign == .minus ? "-0" : "0" }
        if precision >= 17 { return tidy("\(x)") }
        return tidy(String(format: "%.\(precision)g", x))
    }

    static func tidy(_ s: String) -> String { tidyExponent(s) }
}
