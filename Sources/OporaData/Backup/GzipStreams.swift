import COporaZlib
import Foundation

/// A gzip file written as it comes: lines are compressed in 1 MB pieces, so memory never holds more than that.
final class GzipLineWriter {
    private var stream = z_stream()
    private let handle: FileHandle
    private var input: [UInt8] = []
    private var output = [UInt8](repeating: 0, count: 1 << 20)
    private(set) var compressedBytes = 0
    private var finished = false

    init(path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil),
              let handle = FileHandle(forWritingAtPath: path) else {
            throw BackupError.cannotWrite(path)
        }
        self.handle = handle
        // 15 + 16: a gzip wrapper rather than zlib's own; level 6 is gzip's default balance of size and time.
        let status = deflateInit2_(&stream, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION,
                                   Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else { throw BackupError.cannotWrite(path) }
        input.reserveCapacity(1 << 20)
    }

    deinit {
        if !finished { deflateEnd(&stream) }
        try? handle.close()
    }

    func write(_ bytes: some Collection<UInt8>) throws {
        input.append(contentsOf: bytes)
        if input.count >= 1 << 20 { try compress(flush: Z_NO_FLUSH) }
    }

    /// Ends the gzip stream and closes the file.
    func finish() throws {
        try compress(flush: Z_FINISH)
        deflateEnd(&stream)
        finished = true
        try handle.synchronize()
        try handle.close()
    }

    private func compress(flush: Int32) throws {
        try input.withUnsafeMutableBufferPointer { source in
            stream.next_in = source.baseAddress
            stream.avail_in = UInt32(source.count)
            repeat {
                let produced = try output.withUnsafeMutableBufferPointer { target -> Int in
                    stream.next_out = target.baseAddress
                    stream.avail_out = UInt32(target.count)
                    let status = deflate(&stream, flush)
                    guard status == Z_OK || status == Z_STREAM_END || status == Z_BUF_ERROR else {
                        throw BackupError.compression(Int(status))
                    }
                    return target.count - Int(stream.avail_out)
                }
                if produced > 0 {
                    try handle.write(contentsOf: output[0..<produced])
                    compressedBytes += produced
                }
            } while stream.avail_out == 0 || (flush == Z_FINISH && stream.avail_in > 0)
        }
        input.removeAll(keepingCapacity: true)
    }
}

/// Reads a gzip file line by line, inflating 1 MB at a time. A stream that ends before gzip's own end (a truncated
/// file), bytes after it, or a line longer than `maximumLine` is an error.
final class GzipLineReader {
    private var stream = z_stream()
    private let handle: FileHandle
    private var compressed: [UInt8] = []
    private var compressedOffset = 0
    private var buffer: [UInt8] = []
    private var bufferStart = 0
    private var ended = false
    private var sourceDone = false
    private let maximumLine: Int
    private(set) var lineNumber = 0

    init(path: String, maximumLine: Int = 256 << 20) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw BackupError.cannotRead(path) }
        self.handle = handle
        self.maximumLine = maximumLine
        let status = inflateInit2_(&stream, 15 + 16, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else { throw BackupError.cannotRead(path) }
    }

    deinit {
        inflateEnd(&stream)
        try? handle.close()
    }

    /// The next line without its newline (the bytes, for the checksum, and the text), or nil at the end.
    func nextLine() throws -> ArraySlice<UInt8>? {
        while true {
            if let newline = buffer[bufferStart...].firstIndex(of: 10) {
                let line = buffer[bufferStart..<newline]
                bufferStart = newline + 1
                lineNumber += 1
                return line
            }
            if buffer.count - bufferStart > maximumLine { throw BackupError.damaged("строка \(lineNumber + 1) слишком длинная") }
            if ended {
                guard bufferStart == buffer.count else { throw BackupError.damaged("последняя строка оборвана") }
                return nil
            }
            if bufferStart > 0 {
                buffer.removeSubrange(0..<bufferStart)
                bufferStart = 0
            }
            try inflateMore()
        }
    }

    private func inflateMore() throws {
        if compressedOffset >= compressed.count {
            let chunk = try handle.read(upToCount: 1 << 20) ?? Data()
            if chunk.isEmpty {
                throw BackupError.damaged("архив обрывается (файл усечён)")
            }
            compressed = [UInt8](chunk)
            compressedOffset = 0
        }
        var output = [UInt8](repeating: 0, count: 1 << 20)
        let (status, consumed, produced) = compressed.withUnsafeMutableBufferPointer { source in
            output.withUnsafeMutableBufferPointer { target in
                stream.next_in = source.baseAddress! + compressedOffset
                stream.avail_in = UInt32(source.count - compressedOffset)
                stream.next_out = target.baseAddress
                stream.avail_out = UInt32(target.count)
                let status = inflate(&stream, Z_NO_FLUSH)
                return (status, source.count - compressedOffset - Int(stream.avail_in), target.count - Int(stream.avail_out))
            }
        }
        compressedOffset += consumed
        buffer.append(contentsOf: output[0..<produced])
        switch status {
        case Z_STREAM_END:
            ended = true
            let rest = compressed.count - compressedOffset
            let more = try handle.read(upToCount: 1) ?? Data()
            if rest > 0 || !more.isEmpty { throw BackupError.damaged("после конца архива есть лишние данные") }
        case Z_OK, Z_BUF_ERROR:
            break
        default:
            throw BackupError.damaged("сжатые данные повреждены (zlib \(status))")
        }
    }
}
