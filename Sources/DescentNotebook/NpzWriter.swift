import Foundation

/// NumPy's .npz: a ZIP archive (stored, not compressed) of .npy files, each a 2-D float64
/// array in C order. numpy.load reads it; the PyTorch script reads it with the standard
/// library's zipfile and torch.frombuffer, so that it needs nothing but torch.
struct NpzWriter {
    private var archive = Data()
    private var directory = Data()
    private var count = 0

    /// Adds `name`.npy: `rows`×`cols` doubles, row after row.
    mutating func add(_ name: String, rows: Int, cols: Int, values: [Double]) {
        precondition(values.count == rows * cols)
        var npy = Data([0x93] + Array("NUMPY".utf8) + [1, 0])
        var header = "{'descr': '<f8', 'fortran_order': False, 'shape': (\(rows), \(cols)), }"
        // Magic (6) + version (2) + length (2) + header + newline, a multiple of 64.
        while (10 + header.utf8.count + 1) % 64 != 0 { header += " " }
        header += "\n"
        npy.append(littleEndian: UInt16(header.utf8.count))
        npy.append(contentsOf: Array(header.utf8))
        values.withUnsafeBufferPointer { buffer in
            for value in buffer { npy.append(littleEndian: value.bitPattern) }
        }
        addFile(name + ".npy", npy)
    }

    private mutating func addFile(_ name: String, _ contents: Data) {
        let nameBytes = Array(name.utf8)
        let crc = CRC32.checksum(contents)
        let offset = UInt32(archive.count)
        // The fields a local header and its central directory entry share: no flags, stored,
        // no time, the date 1980-01-01, the CRC, both sizes (equal: stored), the name's length.
        func appendSharedFields(to data: inout Data) {
            data.append(littleEndian: UInt16(0))
            data.append(littleEndian: UInt16(0))
            data.append(littleEndian: UInt16(0))
            data.append(littleEndian: UInt16(0x21))
            data.append(littleEndian: crc)
            data.append(littleEndian: UInt32(contents.count))
            data.append(littleEndian: UInt32(contents.count))
            data.append(littleEndian: UInt16(nameBytes.count))
        }
        // Local file header: version 2.0 needed, then the shared fields, no extra field.
        archive.append(littleEndian: UInt32(0x0403_4B50))
        archive.append(littleEndian: UInt16(20))
        appendSharedFields(to: &archive)
        archive.append(littleEndian: UInt16(0))
        archive.append(contentsOf: nameBytes)
        archive.append(contents)
        // Its central directory entry: made by and needs version 2.0, the shared fields, no
        // extra field, comment, disk number or attributes, then where the header is.
        directory.append(littleEndian: UInt32(0x0201_4B50))
        directory.append(littleEndian: UInt16(20))
        directory.append(littleEndian: UInt16(20))
        appendSharedFields(to: &directory)
        for _ in 0..<4 { directory.append(littleEndian: UInt16(0)) }
        directory.append(littleEndian: UInt32(0))
        directory.append(littleEndian: offset)
        directory.append(contentsOf: nameBytes)
        count += 1
    }

    /// The archive's bytes. (Plain ZIP, so each member and the whole stay under 4 GB.)
    func data() -> Data {
        var out = archive
        out.append(directory)
        out.append(littleEndian: UInt32(0x0605_4B50))
        out.append(littleEndian: UInt16(0))
        out.append(littleEndian: UInt16(0))
        out.append(littleEndian: UInt16(count))
        out.append(littleEndian: UInt16(count))
        out.append(littleEndian: UInt32(directory.count))
        out.append(littleEndian: UInt32(archive.count))
        out.append(littleEndian: UInt16(0))
        return out
    }

    var isEmpty: Bool { count == 0 }
    var byteCount: Int { archive.count + directory.count + 22 }
}

/// CRC-32 (the ZIP/PNG polynomial 0xEDB88320), table-driven.
enum CRC32 {
    static let table: [UInt32] = (0..<256).map { n in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    static func checksum(_ data: Data) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        data.withUnsafeBytes { bytes in
            for byte in bytes { crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        }
        return crc ^ 0xFFFF_FFFF
    }
}

extension Data {
    mutating func append<T: FixedWidthInteger>(littleEndian value: T) {
        Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) }
    }
}
