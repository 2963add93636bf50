import DescentLanguage

/// How the session shows numbers and what it prints after each step.
public struct DisplaySettings: Equatable, Sendable {
    /// Significant digits of numbers (`precision N`).
    public internal(set) var precision = 6
    /// What `watch` prints after every step, if anything.
    public internal(set) var watch: WatchKind?
}
