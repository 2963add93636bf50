// counted and plural: a count with its noun in the right number, written one way everywhere.
/// "1 step", "3 steps", "1 entry", "2 entries": a count with its noun in the right number.
public func counted(_ n: Int, _ singular: String, _ plural: String? = nil) -> String {
    "\(n) \(n == 1 ? singular : plural ?? singular + "s")"
}

/// "" for one, "s" otherwise, for nouns written out in a sentence.
public func plural(_ n: Int) -> String { n == 1 ? "" : "s" }
