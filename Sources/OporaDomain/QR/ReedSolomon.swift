/// Reed–Solomon error correction over GF(256) with the QR field polynomial x⁸ + x⁴ + x³ + x² + 1 (0x11D).
public enum ReedSolomon {
    /// The product of two field elements (carry-less multiplication reduced by 0x11D).
    public static func multiply(_ x: UInt8, _ y: UInt8) -> UInt8 {
        var product = 0
        for bit in stride(from: 7, through: 0, by: -1) {
            product = (product << 1) ^ ((product >> 7) * 0x11D)
            product ^= ((Int(y) >> bit) & 1) * Int(x)
        }
        return UInt8(product)
    }

    /// The generator polynomial (x − α⁰)(x − α¹)…(x − α^(degree−1)), highest coefficient (always 1) dropped.
    public static func generator(degree: Int) -> [UInt8] {
        precondition((1...255).contains(degree), "a Reed–Solomon degree is 1…255")
        var result = [UInt8](repeating: 0, count: degree)
        result[degree - 1] = 1
        var root: UInt8 = 1
        for _ in 0..<degree {
            for index in result.indices {
                result[index] = multiply(result[index], root)
                if index + 1 < result.count { result[index] ^= result[index + 1] }
            }
            root = multiply(root, 2)
        }
        return result
    }

    /// The error correction codewords of `data`: the remainder of data·x^degree divided by the generator.
    public static func remainder(of data: [UInt8], generator: [UInt8]) -> [UInt8] {
        var result = [UInt8](repeating: 0, count: generator.count)
        for byte in data {
            let factor = byte ^ result.removeFirst()
            result.append(0)
            for index in result.indices { result[index] ^= multiply(generator[index], factor) }
        }
        return result
    }
}
