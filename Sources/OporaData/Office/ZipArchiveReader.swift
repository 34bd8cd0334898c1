import COporaZlib
import OporaDomain

/// Reads entries of a ZIP archive (XLSX is one) that anyone may have uploaded: every offset and size is
/// checked against the file before it is used, only stored and deflated entries are read, what is inflated
/// is counted against a budget as it grows (a zip bomb stops at the budget, not at the machine's memory),
/// and the CRC must match. ZIPFoundation stays the writer; it traps on some damaged archives, so it never
/// reads a file a user handed us.
struct ZipArchiveReader {
    struct Entry {
        let name: String
        let method: UInt16
        let flags: UInt16
        let crc: UInt32
        let compressedSize: Int
        let uncompressedSize: Int
        let localHeaderOffset: Int
    }

    enum Failure: Error, Equatable {
        /// The archive is damaged or not a ZIP archive at all.
        case damaged(String)
        /// Inflating would exceed the budget.
        case tooLarge
    }

    let bytes: [UInt8]
    let entries: [Entry]
    static let maximumEntries = 10_000

    init(bytes: [UInt8]) throws {
        self.bytes = bytes
        entries = try Self.readCentralDirectory(bytes)
    }

    /// The entry with this path (as written, then ignoring case and a leading slash, as Excel does).
    func entry(_ path: String) -> Entry? {
        let wanted = path.hasPrefix("/") ? String(path.dropFirst()) : path
        if let exact = entries.first(where: { $0.name == wanted }) { return exact }
        let lower = wanted.lowercased()
        return entries.first { $0.name.lowercased() == lower || $0.name.replacingOccurrences(of: "\\", with: "/").lowercased() == lower }
    }

    /// The entry's content; `budget` is what may still be inflated, and shrinks by what this entry took.
    func extract(_ entry: Entry, budget: inout Int) throws -> [UInt8] {
        guard entry.flags & 0x1 == 0 else { throw Failure.damaged("файл защищён паролем") }
        let header = entry.localHeaderOffset
        guard header >= 0, header <= bytes.count - 30, Self.uint32(bytes, header) == 0x0403_4B50 else {
            throw Failure.damaged("неверный заголовок записи «\(entry.name)»")
        }
        let dataStart = header + 30 + Int(Self.uint16(bytes, header + 26)) + Int(Self.uint16(bytes, header + 28))
        guard dataStart <= bytes.count, entry.compressedSize <= bytes.count - dataStart else {
            throw Failure.damaged("запись «\(entry.name)» обрезана")
        }
        let output: [UInt8]
        switch entry.method {
        case 0:
            guard entry.compressedSize <= budget else { throw Failure.tooLarge }
            output = Array(bytes[dataStart..<(dataStart + entry.compressedSize)])
        case 8:
            output = try inflate(
                from: dataStart, count: entry.compressedSize, expected: entry.uncompressedSize, budget: budget, name: entry.name)
        default:
            throw Failure.damaged("неподдерживаемый способ сжатия записи «\(entry.name)»")
        }
        guard output.count == entry.uncompressedSize else { throw Failure.damaged("размер записи «\(entry.name)» не совпадает") }
        let crc = output.withUnsafeBufferPointer { buffer -> UInt32 in
            buffer.isEmpty ? 0 : UInt32(crc32(0, buffer.baseAddress, UInt32(buffer.count)))
        }
        guard crc == entry.crc else { throw Failure.damaged("контрольная сумма записи «\(entry.name)» не совпадает") }
        budget -= output.count
        return output
    }

    private func inflate(from start: Int, count: Int, expected: Int, budget: Int, name: String) throws -> [UInt8] {
        var stream = z_stream()
        guard inflateInit2_(&stream, -MAX_WBITS, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw Failure.damaged("не удалось начать распаковку")
        }
        defer { inflateEnd(&stream) }
        guard count <= Int(UInt32.max) else { throw Failure.damaged("запись «\(name)» слишком велика") }
        let chunk = 1 << 16
        // The declared size is a hint, not a promise: never reserve more than the budget or a sane chunk allows.
        var output = [UInt8]()
        output.reserveCapacity(min(max(expected, 0), budget, 64 << 20) + 1)
        return try bytes.withUnsafeBufferPointer { input -> [UInt8] in
            stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress! + start)
            stream.avail_in = UInt32(count)
            var piece = [UInt8](repeating: 0, count: chunk)
            while true {
                let (status, produced) = piece.withUnsafeMutableBufferPointer { out -> (Int32, Int) in
                    stream.next_out = out.baseAddress
                    stream.avail_out = UInt32(chunk)
                    let status = COporaZlib.inflate(&stream, Z_NO_FLUSH)
                    return (status, chunk - Int(stream.avail_out))
                }
                if produced > 0 {
                    guard output.count + produced <= budget else { throw Failure.tooLarge }
                    output.append(contentsOf: piece[0..<produced])
                }
                switch status {
                case Z_STREAM_END:
                    return output
                case Z_OK:
                    continue
                case Z_BUF_ERROR:
                    // No progress was possible: the input ended before the stream did.
                    throw Failure.damaged("запись «\(name)» обрезана")
                default:
                    throw Failure.damaged("сжатые данные записи «\(name)» повреждены")
                }
            }
        }
    }

    // MARK: the central directory

    private static func readCentralDirectory(_ bytes: [UInt8]) throws -> [Entry] {
        guard bytes.count >= 22 else { throw Failure.damaged("файл слишком короткий для архива") }
        // The end record sits in the last 22 bytes plus at most 65 535 bytes of comment.
        var end = -1
        var position = bytes.count - 22
        let lowest = max(0, bytes.count - 22 - 0xFFFF)
        while position >= lowest {
            if uint32(bytes, position) == 0x0605_4B50 { end = position; break }
            position -= 1
        }
        guard end >= 0 else { throw Failure.damaged("не найдено оглавление архива") }
        var count = Int(uint16(bytes, end + 10))
        var size = Int(uint32(bytes, end + 12))
        var offset = Int(uint32(bytes, end + 16))
        if count == 0xFFFF || size == 0xFFFF_FFFF || offset == 0xFFFF_FFFF {
            // ZIP64: the real figures are in the ZIP64 end record, which a locator right before this one points to.
            let locator = end - 20
            guard locator >= 0, uint32(bytes, locator) == 0x0706_4B50 else { throw Failure.damaged("повреждено оглавление ZIP64") }
            guard let record = int(uint64(bytes, locator + 8)), record >= 0, record <= bytes.count - 56,
                  uint32(bytes, record) == 0x0606_4B50,
                  let count64 = int(uint64(bytes, record + 32)), let size64 = int(uint64(bytes, record + 40)),
                  let offset64 = int(uint64(bytes, record + 48)) else { throw Failure.damaged("повреждено оглавление ZIP64") }
            (count, size, offset) = (count64, size64, offset64)
        }
        guard count <= maximumEntries else { throw Failure.damaged("в архиве слишком много записей") }
        guard offset >= 0, size >= 0, offset <= bytes.count, size <= bytes.count - offset else {
            throw Failure.damaged("оглавление архива указывает за пределы файла")
        }
        var entries: [Entry] = []
        entries.reserveCapacity(count)
        var cursor = offset
        let limit = offset + size
        for _ in 0..<count {
            guard cursor <= limit - 46, uint32(bytes, cursor) == 0x0201_4B50 else { throw Failure.damaged("повреждено оглавление архива") }
            let flags = uint16(bytes, cursor + 8)
            let method = uint16(bytes, cursor + 10)
            let crc = uint32(bytes, cursor + 16)
            var compressed = Int(uint32(bytes, cursor + 20))
            var uncompressed = Int(uint32(bytes, cursor + 24))
            let nameLength = Int(uint16(bytes, cursor + 28))
            let extraLength = Int(uint16(bytes, cursor + 30))
            let commentLength = Int(uint16(bytes, cursor + 32))
            var localOffset = Int(uint32(bytes, cursor + 42))
            let nameStart = cursor + 46
            let extraStart = nameStart + nameLength
            let next = extraStart + extraLength + commentLength
            guard next <= limit else { throw Failure.damaged("повреждено оглавление архива") }
            let name = String(decoding: bytes[nameStart..<extraStart], as: UTF8.self)
            if compressed == 0xFFFF_FFFF || uncompressed == 0xFFFF_FFFF || localOffset == 0xFFFF_FFFF {
                // ZIP64 extended information (extra field 0x0001) holds, in order, only the fields set to 0xFFFFFFFF.
                var field = extraStart
                var found = false
                while field + 4 <= extraStart + extraLength {
                    let id = uint16(bytes, field), length = Int(uint16(bytes, field + 2))
                    let body = field + 4
                    guard body + length <= extraStart + extraLength else { break }
                    if id == 0x0001 {
                        var value = body
                        func take() throws -> Int {
                            guard value + 8 <= body + length, let number = int(uint64(bytes, value)) else {
                                throw Failure.damaged("повреждены сведения ZIP64 записи «\(name)»")
                            }
                            value += 8
                            return number
                        }
                        if uncompressed == 0xFFFF_FFFF { uncompressed = try take() }
                        if compressed == 0xFFFF_FFFF { compressed = try take() }
                        if localOffset == 0xFFFF_FFFF { localOffset = try take() }
                        found = true
                        break
                    }
                    field = body + length
                }
                guard found else { throw Failure.damaged("повреждены сведения ZIP64 записи «\(name)»") }
            }
            entries.append(Entry(name: name, method: method, flags: flags, crc: crc, compressedSize: compressed,
                                 uncompressedSize: uncompressed, localHeaderOffset: localOffset))
            cursor = next
        }
        return entries
    }

    @inline(__always) static func uint16(_ bytes: [UInt8], _ at: Int) -> UInt16 {
        UInt16(bytes[at]) | UInt16(bytes[at + 1]) << 8
    }

    @inline(__always) static func uint32(_ bytes: [UInt8], _ at: Int) -> UInt32 {
        UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16 | UInt32(bytes[at + 3]) << 24
    }

    static func uint64(_ bytes: [UInt8], _ at: Int) -> UInt64 {
        UInt64(uint32(bytes, at)) | UInt64(uint32(bytes, at + 4)) << 32
    }

    /// A 64-bit size that fits a sane file (anything above 2⁴⁸ is damage, not data).
    static func int(_ value: UInt64) -> Int? { value < 1 << 48 ? Int(value) : nil }
}
