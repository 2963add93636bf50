import DescentCore
import DescentLanguage
import Foundation

/// Resource guards: a matrix, data set or network that would need more memory than the
/// limit is refused with the size it would need, instead of killing the process.
public struct Limits: Equatable, Sendable {
    /// Bytes any one value or network may take. Default: a quarter of physical memory.
    public var memoryBytes: Int

    public init(memoryBytes: Int = Limits.defaultMemoryBytes) {
        self.memoryBytes = memoryBytes
    }

    public static var defaultMemoryBytes: Int {
        Int(min(ProcessInfo.processInfo.physicalMemory / 4, UInt64(Int.max)))
    }

    public func checkMatrix(rows: Int, cols: Int, at range: SourceRange?) throws(Diagnostic) {
        let (entries, overflow) = rows.multipliedReportingOverflow(by: cols)
        if overflow || entries > memoryBytes / 8 {
            throw Diagnostic("a \(rows)×\(cols) matrix needs \(Limits.bytes(overflow ? Int.max : entries * 8)), over the limit of \(Limits.bytes(memoryBytes))",
                             at: range)
        }
    }

    /// A network's parameters, gradients, velocities and a snapshot for `back`: 4 copies.
    public func checkNetwork(_ architecture: Architecture, at range: SourceRange?) throws(Diagnostic) {
        var total = 0
        var width = architecture.inputs
        for spec in architecture.layers {
            // The first of `count` repeated layers takes `width` inputs, the others spec.width.
            func parameters(inputs: Int) -> Int {
                let (w, overflow) = inputs.multipliedReportingOverflow(by: spec.width)
                return overflow ? Int.max / 64 : w + (spec.hasBias ? spec.width : 0)
            }
            let first = parameters(inputs: width)
            let (rest, overflow) = parameters(inputs: spec.width).multipliedReportingOverflow(by: spec.count - 1)
            total = min(total + first + (overflow ? Int.max / 64 : rest), Int.max / 64)
            width = spec.width
        }
        let bytes = total.multipliedReportingOverflow(by: 32)
        if bytes.overflow || bytes.partialValue > memoryBytes {
            throw Diagnostic("this network has \(total) parameters and would need \(Limits.bytes(bytes.overflow ? Int.max : bytes.partialValue)) with its gradients, over the limit of \(Limits.bytes(memoryBytes))",
                             at: range)
        }
    }

    public static func bytes(_ n: Int) -> String {
        let units = ["bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"]
        var value = Double(n), unit = 0
        while value >= 1024 && unit < units.count - 1 { value /= 1024; unit += 1 }
        return unit == 0 ? "\(n) bytes" : String(format: "%.1f %@", value, units[unit])
    }
}
