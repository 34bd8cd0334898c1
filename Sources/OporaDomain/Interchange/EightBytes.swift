/// Tests on eight bytes at once: the readers and writers of a million rows look for a few rare bytes (a control
/// character, a quote, a backslash) in texts that almost never hold one, and a byte-by-byte loop was a few per cent of
/// every import. Each test is exact about whether some byte matches, not about which.
public enum EightBytes {
    static let ones: UInt64 = 0x0101_0101_0101_0101
    static let highs: UInt64 = 0x8080_8080_8080_8080

    /// Nonzero when a byte of `word` is below `limit` (at most 0x80).
    @inline(__always)
    public static func below(_ limit: UInt8, in word: UInt64) -> UInt64 {
        (word &- ones &* UInt64(limit)) & ~word & highs
    }

    /// Nonzero when a byte of `word` is `byte`.
    @inline(__always)
    public static func equal(_ byte: UInt8, in word: UInt64) -> UInt64 {
        let difference = word ^ (ones &* UInt64(byte))
        return (difference &- ones) & ~difference & highs
    }

    /// Whether every byte of `word` is ASCII.
    @inline(__always)
    public static func isASCII(_ word: UInt64) -> Bool { word & highs == 0 }

    /// Whether `word` is four two-byte UTF-8 characters (Cyrillic, «, »), the first beginning at its first byte.
    @inline(__always)
    public static func isTwoByteCharacters(_ word: UInt64) -> Bool {
        // Lead bytes 110xxxxx and continuations 10xxxxxx, alternating; no lead C0 or C1 (an overlong form).
        word & 0xC0E0_C0E0_C0E0_C0E0 == 0x80C0_80C0_80C0_80C0
            && ((word & 0x001E_001E_001E_001E) &+ 0x007F_007F_007F_007F) & 0x0080_0080_0080_0080 == 0x0080_0080_0080_0080
    }

    /// The eight bytes at `offset` of `bytes` (which must hold them), as one number, the first byte lowest.
    @inline(__always)
    public static func word(_ bytes: UnsafeBufferPointer<UInt8>, at offset: Int) -> UInt64 {
        assert(offset >= 0 && offset + 8 <= bytes.count, "eight bytes past the end")
        return UInt64(littleEndian: UnsafeRawPointer(bytes.baseAddress! + offset).loadUnaligned(as: UInt64.self))
    }

    /// Whether some byte of `bytes` may be one `matches` looks for: eight at a time by `words`, the rest by `matches`.
    @inline(__always)
    public static func contains(_ bytes: UnsafeBufferPointer<UInt8>, words: (UInt64) -> Bool, _ matches: (UInt8) -> Bool) -> Bool {
        var index = 0
        while index + 8 <= bytes.count {
            if words(word(bytes, at: index)) { return true }
            index += 8
        }
        while index < bytes.count {
            if matches(bytes[index]) { return true }
            index += 1
        }
        return false
    }
}
