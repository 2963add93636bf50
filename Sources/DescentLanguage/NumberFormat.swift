// NumberFormat: how every number Descent writes is spelt, in output and in command text.
import Foundation

/// How numbers are written, in one place: shortest form, no trailing zeros, exponents
/// without padding (`1e-6`), `nan`, `inf`.
/// - `format(x, precision:)`: `precision` significant digits, for output. At precision 17 a
///   number is written in the shortest form that reads back to the same Double, so a printed
///   literal round-trips exactly.
/// - `short(x)`: the shortest form that reads back exactly, for command text (`lr=0.01`).
public enum NumberFormat {
    public static func format(_ x: Double, precision: Int) -> String {
        if x.isNaN { return "nan" }
        if x.isInfinite { return x > 0 ? "inf" : "-inf" }
        if x == 0 { return x.sign == .minus ? "-0" : "0" }
        if precision >= 17 { return tidy("\(x)") }
        return tidy(String(format: "%.\(precision)g", x))
    }

    /// A number shown on its own (`show step`, `let n = …`): as `format`, except that a whole
    /// number below 10^15 keeps all its digits, so that a count reads as itself (step 1607440,
    /// not 1.60744e6). Entries of a matrix keep `format`, so that columns stay narrow.
    public static func lone(_ x: Double, precision: Int) -> String {
        if x.isFinite, x == x.rounded(), abs(x) < 1e15, x != 0 { return String(Int64(x)) }
        return format(x, precision: precision)
    }

    /// A number in its shortest round-trip form, without a trailing ".0": 0.01, 2, 1e-6.
    public static func short(_ x: Double) -> String {
        if x.isNaN { return "nan" }
        if x.isInfinite { return x > 0 ? "inf" : "-inf" }
        if x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }
        return tidy("\(x)")
    }

    /// "1e-05" → "1e-5", "1e+16" → "1e16", "2.50" → "2.5", "-15.0" → "-15".
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
