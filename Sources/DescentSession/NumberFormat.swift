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

    /// "-15.0" → "-15", "1e-06" → "1e-6", "1e+16" → "1e16", "2.50" stays as %g made it.
    static func tidy(_ s: String) -> String {
        var mantissa = s, exponent = ""
        if let e = s.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = String(s[..<e])
            var digits = String(s[s.index(after: e)...])
            var sign = ""
            if digits.hasPrefix("+") { digits.removeFirst() }
            if digits.hasPrefix("-") { sign = "-"; digits.removeFirst() }
            while digits.count > 1 && digits.hasPrefix("0") { digits.removeFirst() }
            exponent = "e" + sign + digits
        }
        if mantissa.contains(".") {
            while mantissa.hasSuffix("0") { mantissa.removeLast() }
            if mantissa.hasSuffix(".") { mantissa.removeLast() }
        }
        return mantissa + exponent
    }
}
