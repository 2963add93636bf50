import DescentRendering
import DescentSession
import Foundation

/// A cell's output as Jupyter outputs (nbformat's shape): runs of text as `stream`, charts
/// as `display_data` with `image/svg+xml` and the terminal's drawing as `text/plain`, lesson
/// prose as `text/markdown`. The exported notebook and the Jupyter kernel (`descent serve`)
/// both write a cell's output with this, so that re-running an exported notebook gives the
/// same outputs.
extension NotebookExporter {
    public enum JupyterOutput: Equatable, Sendable {
        case stream(name: String, text: String)
        case display(data: [String: String])

        /// The output as nbformat writes it.
        public var json: [String: Any] {
            switch self {
            case .stream(let name, let text):
                return ["output_type": "stream", "name": name, "text": text]
            case .display(let data):
                return ["output_type": "display_data", "metadata": [String: Any](), "data": data]
            }
        }
    }

    /// `offers`: also the command a lesson offers next (in a kernel, where an empty cell runs
    /// it; an exported notebook has the command in its next cell instead).
    public static func jupyterOutputs(_ output: Output, offers: Bool = false) -> [JupyterOutput] {
        let exporter = NotebookExporter(cells: [])
        var outputs: [JupyterOutput] = []
        for piece in exporter.pieces(output, offers: offers) {
            switch piece {
            case .text(let s):
                outputs.append(.stream(name: "stdout", text: s + "\n"))
            case .chart(let chart, let fallback):
                outputs.append(.display(data: ["image/svg+xml": exporter.svg.render(chart), "text/plain": fallback]))
            case .prose(let prose):
                outputs.append(.display(data: ["text/markdown": NotebookExporter.markdown(prose), "text/plain": prose.joined(separator: "\n")]))
            }
        }
        return outputs
    }
}
