import DescentLanguage
import Foundation

/// Writes a file so that it is either the old file or the whole new one: a temporary file in
/// the same folder, then a rename over the target.
public enum AtomicFile {
    public static func write(_ data: Data, to url: URL) throws(Diagnostic) {
        let folder = url.deletingLastPathComponent()
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw Diagnostic("cannot write \(url.path): the folder \(folder.path) does not exist")
        }
        let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp")
        guard FileManager.default.createFile(atPath: temporary.path, contents: data) else {
            throw Diagnostic("cannot write in \(folder.path): permission denied or the disk is full")
        }
        if rename(temporary.path, url.path) != 0 {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw Diagnostic("cannot write \(url.path): \(reason)")
        }
    }
}
