// MapColours: the colours of `plot boundary` and `plot neurons`, shared by the terminal and
// SVG renderers so that a map reads the same in both.
import DescentSession
import Foundation

/// Colours for maps over the plane, after TensorFlow Playground: a diverging scale from
/// orange (low) through white to blue (high), and for classes the Okabe–Ito colours, orange
/// and blue first so that two classes look as they do under bce. Both are safe for the
/// common kinds of colour blindness.
enum MapColours {
    struct RGB: Equatable {
        var r: Double, g: Double, b: Double

        func mixed(with other: RGB, _ t: Double) -> RGB {
            RGB(r: r + (other.r - r) * t, g: g + (other.g - g) * t, b: b + (other.b - b) * t)
        }

        var hex: String {
            let parts = [r, g, b].map { min(max(Int($0.rounded()), 0), 255) }
            return "#" + parts.map { String(format: "%02x", $0) }.joined()
        }
    }

    static let white = RGB(r: 255, g: 255, b: 255)
    static let grey = RGB(r: 187, g: 187, b: 187)
    /// Okabe–Ito, reordered: orange, blue, green, vermillion, pink, sky blue, yellow.
    static let classes: [(name: String, rgb: RGB)] = [
        ("orange", RGB(r: 230, g: 159, b: 0)), ("blue", RGB(r: 0, g: 114, b: 178)),
        ("green", RGB(r: 0, g: 158, b: 115)), ("vermillion", RGB(r: 213, g: 94, b: 0)),
        ("pink", RGB(r: 204, g: 121, b: 167)), ("sky blue", RGB(r: 86, g: 180, b: 233)),
        ("yellow", RGB(r: 240, g: 228, b: 66)),
    ]
    /// How far the map's fill goes towards a full colour: the points, drawn in full colour
    /// on top, stay visible over the region of their own class.
    static let fillStrength = 0.6

    /// The diverging scale in xterm's 256 colours, orange to white to blue, picked by hand:
    /// the nearest colours of the 6×6×6 cube to a smooth scale drift into green and violet.
    static let xtermScale = [221, 222, 223, 230, 231, 195, 153, 117, 74]
    /// Light tints of the class colours, in the order of `classes`.
    static let xtermClasses = [222, 117, 115, 216, 218, 153, 229]

    /// A fill as an xterm 256-colour index: what `fill` gives, for a terminal.
    static func xterm(_ fraction: Double?, scale: MapScale) -> Int {
        guard let f = fraction else { return 250 }
        if case .classes(let count) = scale {
            return xtermClasses[Int((f * Double(max(count - 1, 0))).rounded()) % xtermClasses.count]
        }
        return xtermScale[min(max(Int((f * Double(xtermScale.count - 1)).rounded()), 0), xtermScale.count - 1)]
    }

    static func classColour(_ c: Int) -> RGB { classes[((c % classes.count) + classes.count) % classes.count].rgb }

    /// The fill for a fraction 0…1 of the scale (nil: not finite, grey).
    static func fill(_ fraction: Double?, scale: MapScale) -> RGB {
        guard let f = fraction else { return grey }
        if case .classes(let count) = scale {
            return white.mixed(with: classColour(Int((f * Double(max(count - 1, 0))).rounded())), fillStrength)
        }
        return f < 0.5 ? white.mixed(with: classColour(0), (0.5 - f) * 2 * fillStrength)
                       : white.mixed(with: classColour(1), (f - 0.5) * 2 * fillStrength)
    }

    /// A point's own colour, in full: its class's, or for a value where it falls on the scale.
    static func point(_ fraction: Double?, scale: MapScale) -> RGB {
        guard let f = fraction else { return grey }
        if case .classes(let count) = scale { return classColour(Int((f * Double(max(count - 1, 0))).rounded())) }
        return f < 0.5 ? white.mixed(with: classColour(0), min((0.5 - f) * 2 + 0.3, 1))
                       : white.mixed(with: classColour(1), min((f - 0.5) * 2 + 0.3, 1))
    }

    /// How the colours read, for a legend: "orange 0 … white 0.5 … blue 1".
    static func describe(scale: MapScale, label: (Double) -> String) -> String {
        switch scale {
        case .classes(let count):
            return (0..<count).map { "\(classes[$0 % classes.count].name) \($0)" }.joined(separator: ", ")
        case .probability:
            return "orange 0 … white 0.5 … blue 1"
        case .level(let low, let high):
            return "orange \(label(low)) … white \(label((low + high) / 2)) … blue \(label(high))"
        }
    }
}
