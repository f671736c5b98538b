/// Byte classes used by the matchers, as 256-entry lookup tables so every test is one load.
///
/// Tables rather than range checks because the matchers test the same byte against several
/// classes and a table load is branch-free.
enum ByteClass {
    static let base32: [Bool] = table { ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x32 && $0 <= 0x37) }
    static let base64: [Bool] = table { isAlnum($0) || $0 == 0x2B || $0 == 0x2F }
    static let alnum: [Bool] = table(isAlnum)
    /// Characters of an identifier or config key (`aws_secret_access_key`, `AWS.SecretKey`, `secret-key`).
    static let nameChar: [Bool] = table { isAlnum($0) || $0 == 0x5F || $0 == 0x2D || $0 == 0x2E }
    /// Bytes allowed between a telling name and its value: blanks, quotes, `:`, `=`, `>`, `,`, `(`, `\`, `$`, `{`.
    static let assignmentGlue: [Bool] = table {
        [0x20, 0x09, 0x22, 0x27, 0x60, 0x3A, 0x3D, 0x3E, 0x2C, 0x28, 0x5C, 0x7B, 0x5B].contains($0)
    }

    private static func isAlnum(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
    }

    private static func table(_ member: (UInt8) -> Bool) -> [Bool] {
        (0...255).map { member(UInt8($0)) }
    }

    /// The value of a hexadecimal digit (either case), or nil.
    @inline(__always) static func hexValue(_ b: UInt8) -> UInt8? {
        switch b {
        case 0x30...0x39: return b - 0x30
        case 0x41...0x46: return b - 0x41 + 10
        case 0x61...0x66: return b - 0x61 + 10
        default: return nil
        }
    }

    @inline(__always) static func lower(_ b: UInt8) -> UInt8 {
        (b >= 0x41 && b <= 0x5A) ? b | 0x20 : b
    }
}
