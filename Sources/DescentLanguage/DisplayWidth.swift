/// How many terminal columns text takes: East Asian Wide and Fullwidth characters (Chinese,
/// Japanese, Korean, full-width punctuation) take two, combining marks and zero-width
/// characters none, everything else one. Unicode's East Asian Width property (UAX #11) for
/// the ranges a terminal draws double; Swift's Unicode properties do not carry it.
public enum DisplayWidth {
    public static func of(_ text: String) -> Int {
        text.unicodeScalars.reduce(0) { $0 + of($1) }
    }

    public static func of(_ character: Character) -> Int {
        character.unicodeScalars.reduce(0) { $0 + of($1) }
    }

    public static func of(_ scalar: Unicode.Scalar) -> Int {
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return 0
        default: break
        }
        if scalar.value == 0x200B { return 0 }
        return isWide(scalar) ? 2 : 1
    }

    /// East Asian Wide (W) or Fullwidth (F).
    public static func isWide(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        guard v >= 0x1100 else { return false }
        for range in wideRanges where range.contains(v) { return true }
        return false
    }

    static let wideRanges: [ClosedRange<UInt32>] = [
        0x1100...0x115F,   // Hangul Jamo initials
        0x231A...0x231B, 0x2329...0x232A, 0x23E9...0x23EC, 0x23F0...0x23F0, 0x23F3...0x23F3,
        0x25FD...0x25FE, 0x2614...0x2615, 0x2648...0x2653, 0x267F...0x267F, 0x2693...0x2693,
        0x26A1...0x26A1, 0x26AA...0x26AB, 0x26BD...0x26BE, 0x26C4...0x26C5, 0x26CE...0x26CE,
        0x26D4...0x26D4, 0x26EA...0x26EA, 0x26F2...0x26F3, 0x26F5...0x26F5, 0x26FA...0x26FA,
        0x26FD...0x26FD, 0x2705...0x2705, 0x270A...0x270B, 0x2728...0x2728, 0x274C...0x274C,
        0x274E...0x274E, 0x2753...0x2755, 0x2757...0x2757, 0x2795...0x2797, 0x27B0...0x27B0,
        0x27BF...0x27BF, 0x2B1B...0x2B1C, 0x2B50...0x2B50, 0x2B55...0x2B55,
        0x2E80...0x303E,   // CJK radicals, Kangxi, ideographic description, CJK symbols and punctuation
        0x3041...0x33FF,   // Hiragana, Katakana, Bopomofo, Hangul compatibility, Kanbun, CJK compatibility
        0x3400...0x4DBF,   // CJK Extension A
        0x4E00...0x9FFF,   // CJK Unified Ideographs
        0xA000...0xA4CF,   // Yi
        0xA960...0xA97F,   // Hangul Jamo Extended-A
        0xAC00...0xD7A3,   // Hangul syllables
        0xF900...0xFAFF,   // CJK compatibility ideographs
        0xFE10...0xFE19, 0xFE30...0xFE6F,  // vertical forms, CJK compatibility forms, small forms
        0xFF00...0xFF60, 0xFFE0...0xFFE6,  // Fullwidth forms
        0x16FE0...0x16FE4, 0x17000...0x18CFF, 0x1B000...0x1B2FF,
        0x1F004...0x1F004, 0x1F0CF...0x1F0CF, 0x1F18E...0x1F18E, 0x1F191...0x1F19A,
        0x1F200...0x1F251, 0x1F300...0x1F64F, 0x1F680...0x1F6FF, 0x1F900...0x1F9FF,
        0x20000...0x2FFFD, 0x30000...0x3FFFD,  // CJK Extensions B and later
    ]

    /// Characters a line must not start with (closing punctuation, in Chinese typesetting's
    /// 避头 rule): a break is never placed before one.
    public static func isClosingPunctuation(_ character: Character) -> Bool {
        "，。、：；！？）」』》〉】〕…—’”,.:;!?)]%".contains(character)
    }

    /// Characters a line must not end with (opening punctuation).
    public static func isOpeningPunctuation(_ character: Character) -> Bool {
        "（「『《〈【〔‘“([".contains(character)
    }

    /// Whether a line may break between any two characters here (Chinese and Japanese).
    public static func breaksAnywhere(_ character: Character) -> Bool {
        character.unicodeScalars.first.map(isWide) ?? false
    }

    /// Whether two lines of one paragraph meet between Chinese characters (or Chinese
    /// punctuation), where Chinese puts no space.
    public static func joinsWithoutSpace(_ a: String, _ b: String) -> Bool {
        guard let x = a.last, let y = b.first else { return false }
        // Chinese full stops and commas carry their own space, before Latin text too.
        return breaksAnywhere(x) && (breaksAnywhere(y) || isClosingPunctuation(x))
    }

    /// Lines of a paragraph as one: a space between them, none between Chinese characters.
    public static func joinParagraph(_ lines: [String]) -> String {
        var text = ""
        for line in lines {
            if !text.isEmpty && !joinsWithoutSpace(text, line) { text += " " }
            text += line
        }
        return text
    }
}
