#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Text that hides keys behind an encoding: e-mail (an RFC 5322 message or an mbox of them,
/// whose MIME parts are base64 or quoted-printable) and JSON exports of tickets and chats (whose
/// values may be base64). Recognised by content, as archives are: the file name is not looked at.
///
/// The tree scanner is performance-critical: sniffing looks only at the first bytes, and only
/// text that sniffs as mail or JSON gets the extra pass.
enum EncodedTextKind: Equatable {
    case mail, mbox, json

    /// Header names that mark a block of `Name: value` lines as an e-mail header.
    private static let mailHeaders: Set<String> = [
        "mime-version", "content-type", "received", "from", "return-path", "message-id", "delivered-to",
    ]
    private static let otherMailHeaders: Set<String> = [
        "to", "cc", "subject", "date", "reply-to", "sender", "content-transfer-encoding", "x-mailer", "user-agent",
        "dkim-signature", "authentication-results", "arc-seal", "x-received", "in-reply-to", "references",
    ]

    static func sniff(_ head: [UInt8]) -> EncodedTextKind? {
        head.withUnsafeBytes { sniff($0) }
    }

    /// ``sniff(_:)`` where the bytes lie. Every text file of a tree is sniffed: the common answer
    /// ("neither") is given without allocating. Only a head whose first line could open a
    /// message (`From ` or a `Name:` header) is copied for the line-by-line test.
    static func sniff(_ head: UnsafeRawBufferPointer) -> EncodedTextKind? {
        var start = 0
        if head.count >= 3, head[0] == 0xEF, head[1] == 0xBB, head[2] == 0xBF { start = 3 }
        guard start < head.count else { return nil }
        let first = head[start]
        // Cheap first test: almost every source file fails it at its first byte.
        if let json = opensJSON(head, from: start) { return json ? .json : nil }
        guard (first >= 0x41 && first <= 0x5A) || (first >= 0x61 && first <= 0x7A) else { return nil }
        // What headerBlock requires of the first line (unless it is an mbox's `From `): a name of
        // printable bytes without blanks, then a colon, within the line.
        let isFromLine = head.count - start >= 5 && head[start] == 0x46 && head[start + 1] == 0x72 && head[start + 2] == 0x6F
            && head[start + 3] == 0x6D && head[start + 4] == 0x20
        if !isFromLine {
            var i = start
            while i < head.count, head[i] > 0x20, head[i] < 0x7F, head[i] != 0x3A { i += 1 }
            guard i < head.count, head[i] == 0x3A else { return nil }
        }
        return sniffLines(Array(head))
    }

    /// Whether the text from `start` (a valid index) is JSON: blanks, then `{` or `[`. Nil when
    /// its first byte is neither a blank nor a bracket, so it cannot be.
    @inline(__always)
    static func opensJSON(_ head: UnsafeRawBufferPointer, from start: Int) -> Bool? {
        func blank(_ b: UInt8) -> Bool { b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 }
        func bracket(_ b: UInt8) -> Bool { b == UInt8(ascii: "{") || b == UInt8(ascii: "[") }
        guard bracket(head[start]) || blank(head[start]) else { return nil }
        var i = start
        while i < head.count, blank(head[i]) { i += 1 }
        return i < head.count && bracket(head[i])
    }

    /// The line-by-line test of ``sniff(_:)``, once its quick tests passed.
    static func sniffLines(_ head: [UInt8]) -> EncodedTextKind? {
        var start = 0
        if head.starts(with: [0xEF, 0xBB, 0xBF]) { start = 3 }
        guard start < head.count else { return nil }
        let first = head[start]
        if let json = head.withUnsafeBytes({ opensJSON($0, from: start) }) { return json ? .json : nil }
        guard (first >= 0x41 && first <= 0x5A) || (first >= 0x61 && first <= 0x7A) else { return nil }
        let lines = headLines(head, from: start)
        if let firstLine = lines.first, firstLine.starts(with: Array("From ".utf8)) {
            // mbox: a `From ` separator line, then a message header.
            return headerBlock(lines.dropFirst()) ? .mbox : nil
        }
        return headerBlock(lines[...]) ? .mail : nil
    }

    /// Complete lines of `head` up to its first empty line (the end of a header block).
    private static func headLines(_ head: [UInt8], from start: Int) -> [ArraySlice<UInt8>] {
        var lines: [ArraySlice<UInt8>] = []
        var lineStart = start
        var i = start
        while i < head.count, lines.count < 200 {
            if head[i] == 0x0A {
                var line = head[lineStart..<i]
                if line.last == 0x0D { line = line.dropLast() }
                lines.append(line)
                if line.isEmpty { break }
                lineStart = i + 1
            }
            i += 1
        }
        return lines
    }

    /// True when the lines open with `Name: value` headers (continuations allowed) of which at
    /// least two are mail headers, one of them a telling one (`From:`, `Received:`, `Content-Type:`…).
    private static func headerBlock(_ lines: ArraySlice<ArraySlice<UInt8>>) -> Bool {
        var telling = false
        var known = 0
        var headers = 0
        for line in lines {
            if line.isEmpty { break }
            if line.first == 0x20 || line.first == 0x09 {
                if headers == 0 { return false }
                continue
            }
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")), colon > line.startIndex else { return false }
            // Header names are printable ASCII without spaces.
            guard line[line.startIndex..<colon].allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else { return false }
            headers += 1
            let name = String(decoding: line[line.startIndex..<colon], as: UTF8.self).lowercased()
            if mailHeaders.contains(name) { telling = true; known += 1 } else if otherMailHeaders.contains(name) { known += 1 }
        }
        return telling && known >= 2
    }
}

/// One decoded MIME part.
struct MailPart {
    /// `part 2 (report.txt)`, `message 2!part 1.2`: how findings in it are named.
    var label: String
    var decoded: [UInt8]
    var quotedPrintable: Bool
}

/// Walks the MIME structure of e-mail held in memory: messages of an mbox, multiparts (nested),
/// `message/rfc822` attachments, and decodes base64 and quoted-printable leaves. 7bit and 8bit
/// parts are not visited: they are scanned where they stand, in the raw text.
enum MailWalker {
    /// Multiparts inside multiparts followed at most; a hostile message cannot exhaust the stack.
    static let maxNesting = 32

    /// Calls `visit` for every encoded part of every message, in order; `visit` returns false to
    /// stop. Returns problems met (too deep a nesting), as messages without the input's name.
    @discardableResult
    static func walk(_ bytes: [UInt8], kind: EncodedTextKind, visit: (MailPart) -> Bool) -> [String] {
        withoutActuallyEscaping(visit) { visit in
            var problems: [String] = []
            if kind == .mbox {
                for (n, range) in mboxMessages(bytes).enumerated() {
                    var walker = Walk(visit: visit)
                    walker.entity(bytes, range, number: [], label: "message \(n + 1)!", nesting: 0)
                    problems += walker.problems
                    if walker.stopped { break }
                }
            } else {
                var walker = Walk(visit: visit)
                walker.entity(bytes, 0..<bytes.count, number: [], label: "", nesting: 0)
                problems += walker.problems
            }
            return problems
        }
    }

    /// The messages of an mbox: each starts after a `From ` line that opens the file or follows an empty line.
    static func mboxMessages(_ bytes: [UInt8]) -> [Range<Int>] {
        var starts: [(separator: Int, body: Int)] = []
        var lineStart = 0
        var previousEmpty = true
        let from = Array("From ".utf8)
        while lineStart < bytes.count {
            let end = bytes[lineStart...].firstIndex(of: 0x0A) ?? bytes.count
            if previousEmpty, bytes[lineStart..<end].starts(with: from) {
                starts.append((lineStart, min(end + 1, bytes.count)))
            }
            let length = end - lineStart - (end > lineStart && bytes[end - 1] == 0x0D ? 1 : 0)
            previousEmpty = length == 0
            lineStart = end + 1
        }
        return starts.indices.map { i in
            starts[i].body..<(i + 1 < starts.count ? starts[i + 1].separator : bytes.count)
        }
    }

    private struct Walk {
        let visit: (MailPart) -> Bool
        var problems: [String] = []
        var stopped = false

        mutating func entity(_ bytes: [UInt8], _ range: Range<Int>, number: [Int], label: String, nesting: Int) {
            guard !stopped else { return }
            guard nesting <= MailWalker.maxNesting else {
                problems.append("\(label)MIME parts nested deeper than \(MailWalker.maxNesting) levels were not decoded")
                return
            }
            let (headers, bodyStart) = MailWalker.headers(bytes, range)
            let body = bodyStart..<range.upperBound
            // RFC 2047 encoded-words (`=?utf-8?B?…?=`) hide header text from the raw scan.
            if let decoded = MailWalker.encodedWordHeaders(bytes, range.lowerBound..<bodyStart) {
                let where_ = number.isEmpty ? "headers" : "part " + number.map(String.init).joined(separator: ".") + " headers"
                if !visit(MailPart(label: label + where_, decoded: decoded, quotedPrintable: true)) { stopped = true; return }
            }
            let type: (value: String, params: [String: String]) = headers["content-type"].map(MailWalker.parameters) ?? ("text/plain", [:])
            let encoding = (headers["content-transfer-encoding"] ?? "7bit").trimmed.lowercased()
            if type.value.hasPrefix("multipart/"), let boundary = type.params["boundary"], !boundary.isEmpty {
                for (i, part) in MailWalker.multipartBodies(bytes, body, boundary: boundary).enumerated() {
                    entity(bytes, part, number: number + [i + 1], label: label, nesting: nesting + 1)
                    if stopped { return }
                }
                return
            }
            let leafNumber = number.isEmpty ? [1] : number
            if type.value == "message/rfc822" || type.value == "message/global" {
                // The attached message's own parts are numbered under this part, as IMAP does.
                if encoding == "base64" || encoding == "quoted-printable" {
                    let inner = MailWalker.decode(bytes[body], encoding: encoding)
                    entity(inner, 0..<inner.count, number: leafNumber, label: label, nesting: nesting + 1)
                } else {
                    entity(bytes, body, number: leafNumber, label: label, nesting: nesting + 1)
                }
                return
            }
            guard encoding == "base64" || encoding == "quoted-printable" else { return }
            let disposition = headers["content-disposition"].map(MailWalker.parameters)
            let filename = disposition?.params["filename"] ?? type.params["name"]
            var name = label + "part " + leafNumber.map(String.init).joined(separator: ".")
            if let filename, !filename.isEmpty { name += " (\(MailWalker.printable(filename)))" }
            let part = MailPart(label: name, decoded: MailWalker.decode(bytes[body], encoding: encoding),
                                quotedPrintable: encoding == "quoted-printable")
            if !visit(part) { stopped = true }
        }
    }

    /// Unfolded headers by lower-cased name (the first of each), and where the body starts.
    static func headers(_ bytes: [UInt8], _ range: Range<Int>) -> (headers: [String: String], bodyStart: Int) {
        var headers: [String: String] = [:]
        var current: (name: String, value: String)?
        var i = range.lowerBound
        func flush() {
            if let c = current, headers[c.name] == nil { headers[c.name] = c.value }
            current = nil
        }
        while i < range.upperBound {
            let end = bytes[i..<range.upperBound].firstIndex(of: 0x0A) ?? range.upperBound
            var line = bytes[i..<end]
            if line.last == 0x0D { line = line.dropLast() }
            let next = min(end + 1, range.upperBound)
            if line.isEmpty { flush(); return (headers, next) }
            if line.first == 0x20 || line.first == 0x09 {
                current?.value += " " + String(decoding: line, as: UTF8.self).trimmed
            } else if let colon = line.firstIndex(of: UInt8(ascii: ":")) {
                flush()
                current = (String(decoding: line[line.startIndex..<colon], as: UTF8.self).trimmed.lowercased(),
                           String(decoding: line[(colon + 1)...], as: UTF8.self).trimmed)
            } else {
                // Not a header: a part with no header block at all starts its body here.
                flush()
                return (headers, i)
            }
            i = next
        }
        flush()
        return (headers, range.upperBound)
    }

    /// The header lines that hold RFC 2047 encoded-words, unfolded and decoded (`Subject: …`), or
    /// nil when there are none.
    static func encodedWordHeaders(_ bytes: [UInt8], _ range: Range<Int>) -> [UInt8]? {
        let marker: [UInt8] = [0x3D, 0x3F]   // =?
        guard range.count >= 2, bytes[range].indices.contains(where: { $0 + 1 < range.upperBound && bytes[$0] == 0x3D && bytes[$0 + 1] == 0x3F }) else {
            return nil
        }
        var lines: [String] = []
        for line in String(decoding: bytes[range], as: UTF8.self).split(separator: "\n") {
            let text = line.hasSuffix("\r") ? String(line.dropLast()) : String(line)
            if text.first == " " || text.first == "\t", !lines.isEmpty { lines[lines.count - 1] += text } else { lines.append(text) }
        }
        var out: [UInt8] = []
        for line in lines where line.contains(String(decoding: marker, as: UTF8.self)) {
            out += decodeEncodedWords(line) + [0x0A]
        }
        return out.isEmpty ? nil : out
    }

    /// `=?charset?B?base64?=` and `=?charset?Q?text?=` replaced by their bytes (taken as UTF-8).
    static func decodeEncodedWords(_ text: String) -> [UInt8] {
        let b = Array(text.utf8)
        var out: [UInt8] = []
        var i = 0
        while i < b.count {
            if b[i] == 0x3D, i + 1 < b.count, b[i + 1] == 0x3F,
               let q1 = b[(i + 2)...].firstIndex(of: 0x3F), q1 + 2 < b.count, b[q1 + 2] == 0x3F,
               let end = (q1 + 3 < b.count ? b[(q1 + 3)...].indices.first { $0 + 1 < b.count && b[$0] == 0x3F && b[$0 + 1] == 0x3D } : nil) {
                let payload = b[(q1 + 3)..<end]
                switch b[q1 + 1] | 0x20 {
                case 0x62: out += Base64Text.decode(payload)
                case 0x71: out += quotedPrintable(ArraySlice(payload.map { $0 == 0x5F ? 0x20 : $0 }))
                default: out += b[i..<(end + 2)]
                }
                i = end + 2
                continue
            }
            out.append(b[i])
            i += 1
        }
        return out
    }

    /// `text/plain; charset="utf-8"; name=a.txt` → ("text/plain", ["charset": "utf-8", "name": "a.txt"]).
    /// RFC 2231 `filename*=utf-8''a%20b.txt` is read as `filename`.
    static func parameters(_ header: String) -> (value: String, params: [String: String]) {
        var fields: [String] = []
        var current = ""
        var quoted = false
        for c in header {
            if c == "\"" { quoted.toggle() }
            if c == ";" && !quoted { fields.append(current); current = "" } else { current.append(c) }
        }
        fields.append(current)
        var params: [String: String] = [:]
        for field in fields.dropFirst() {
            guard let eq = field.firstIndex(of: "=") else { continue }
            var key = field[..<eq].trimmed.lowercased()
            var value = field[field.index(after: eq)...].trimmed
            if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") { value = String(value.dropFirst().dropLast()) }
            if key.hasSuffix("*") {
                key = String(key.dropLast())
                if let quote = value.range(of: "''") { value = String(value[quote.upperBound...]) }
                value = value.removingPercentEncoding ?? value
            }
            if params[key] == nil { params[key] = value }
        }
        return (fields[0].trimmed.lowercased(), params)
    }

    /// The bodies between `--boundary` delimiter lines, up to `--boundary--`.
    static func multipartBodies(_ bytes: [UInt8], _ range: Range<Int>, boundary: String) -> [Range<Int>] {
        let delimiter = Array(("--" + boundary).utf8)
        var parts: [Range<Int>] = []
        var partStart: Int?
        var i = range.lowerBound
        while i < range.upperBound {
            let end = bytes[i..<range.upperBound].firstIndex(of: 0x0A) ?? range.upperBound
            let line = bytes[i..<end]
            if line.starts(with: delimiter) {
                let rest = line.dropFirst(delimiter.count)
                let closing = rest.starts(with: [0x2D, 0x2D])
                let tail = closing ? rest.dropFirst(2) : rest
                if tail.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) {
                    // The line break before a delimiter belongs to the delimiter.
                    if let s = partStart { parts.append(s..<max(s, i - 1)) }
                    if closing { return parts }
                    partStart = min(end + 1, range.upperBound)
                }
            }
            i = end + 1
        }
        if let s = partStart, s < range.upperBound { parts.append(s..<range.upperBound) }
        return parts
    }

    static func decode(_ body: ArraySlice<UInt8>, encoding: String) -> [UInt8] {
        encoding == "base64" ? Base64Text.decode(body) : quotedPrintable(body)
    }

    /// RFC 2045 quoted-printable: `=XX` is a byte, `=` at a line's end (trailing blanks allowed)
    /// joins the line to the next, so a key split by a soft line break is whole again.
    static func quotedPrintable(_ body: ArraySlice<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(body.count)
        var i = body.startIndex
        while i < body.endIndex {
            let b = body[i]
            guard b == UInt8(ascii: "=") else { out.append(b); i += 1; continue }
            var j = i + 1
            while j < body.endIndex, body[j] == 0x20 || body[j] == 0x09 { j += 1 }
            if j < body.endIndex, body[j] == 0x0D, j + 1 < body.endIndex, body[j + 1] == 0x0A { i = j + 2; continue }
            if j < body.endIndex, body[j] == 0x0A { i = j + 1; continue }
            if j == body.endIndex { break }
            if i + 2 < body.endIndex, let h = ByteClass.hexValue(body[i + 1]), let l = ByteClass.hexValue(body[i + 2]) {
                out.append(h << 4 | l)
                i += 3
            } else {
                out.append(b)
                i += 1
            }
        }
        return out
    }

    /// A file name as shown in a finding's name: control characters and `!` (the member separator) replaced.
    static func printable(_ name: String) -> String {
        String(name.prefix(200).map { $0.isASCII && ($0.asciiValue! < 0x20 || $0 == "!" || $0.asciiValue! == 0x7F) ? "_" : $0 })
    }
}

/// Base64 as e-mail and JSON exports carry it: standard or URL-safe alphabet, padding optional,
/// line breaks and blanks ignored.
enum Base64Text {
    private static let table: [UInt8] = {
        var t = [UInt8](repeating: 0xFF, count: 256)
        for (i, c) in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8.enumerated() { t[Int(c)] = UInt8(i) }
        t[Int(UInt8(ascii: "-"))] = 62
        t[Int(UInt8(ascii: "_"))] = 63
        return t
    }()

    /// In the alphabet (standard or URL-safe) or padding.
    static func isSymbol(_ c: UInt8) -> Bool { table[Int(c)] != 0xFF || c == 0x3D }

    /// ``isSymbol(_:)`` for every byte, to look up once per loop rather than once per byte.
    static let symbolTable: [Bool] = (0..<256).map { isSymbol(UInt8($0)) }

    /// The test on a value's first characters, in place and without allocating: do they decode
    /// (as ``decode(_:)`` would) to mostly printable text, or to the start of a gzip or zip archive?
    static func startsLikeTextOrArchive(_ text: UnsafeRawBufferPointer) -> Bool {
        // The table once, not per character: each access to a lazy global is a `swift_once` call.
        table.withUnsafeBufferPointer { startsLikeTextOrArchive(text, table: $0) }
    }

    private static func startsLikeTextOrArchive(_ text: UnsafeRawBufferPointer, table: UnsafeBufferPointer<UInt8>) -> Bool {
        var acc: UInt32 = 0
        var bits = 0
        var count = 0
        var printable = 0
        var magic: (UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0)
        // At most this many bytes decode: once more than a tenth of it is not text, the text test
        // has failed whatever follows, and the archive test needs only the first four bytes.
        // Identifiers and hashes, most of what is probed, fail within a few groups.
        let maxCount = text.count * 6 / 8
        var textFailed = false
        for c in text {
            if c == UInt8(ascii: "=") { break }
            let v = table[Int(c)]
            if v == 0xFF { continue }
            acc = (acc << 6) | UInt32(v)
            bits += 6
            if bits >= 8 {
                bits -= 8
                let byte = UInt8(truncatingIfNeeded: acc >> UInt32(bits))
                switch count {
                case 0: magic.0 = byte
                case 1: magic.1 = byte
                case 2: magic.2 = byte
                case 3: magic.3 = byte
                default: break
                }
                count += 1
                if isTextByte(byte) { printable += 1 }
                if count >= 4, 10 * (count - printable) > maxCount { textFailed = true; break }
            }
        }
        guard count > 0 else { return false }
        if !textFailed, printable * 10 >= count * 9 { return true }
        let gzip = count >= 2 && magic.0 == 0x1F && magic.1 == 0x8B
        let zip = count >= 4 && magic.0 == 0x50 && magic.1 == 0x4B && ((magic.2 == 3 && magic.3 == 4) || (magic.2 == 5 && magic.3 == 6))
        return gzip || zip
    }

    @inline(__always)
    private static func isTextByte(_ c: UInt8) -> Bool {
        (c >= 0x20 && c < 0x7F) || c == 0x0A || c == 0x0D || c == 0x09
    }

    /// Decodes, skipping anything outside the alphabet (MIME's rule) and stopping at padding.
    static func decode<C: Collection>(_ text: C) -> [UInt8] where C.Element == UInt8 {
        var out: [UInt8] = []
        out.reserveCapacity(text.count * 3 / 4)
        var acc: UInt32 = 0
        var bits = 0
        for c in text {
            if c == UInt8(ascii: "=") { break }
            let v = table[Int(c)]
            if v == 0xFF { continue }
            acc = (acc << 6) | UInt32(v)
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8(truncatingIfNeeded: acc >> UInt32(bits)))
            }
        }
        return out
    }

    /// True when every byte is in the alphabet (or is padding at the end, or a line break), and
    /// the length can be base64's: the strict test for a JSON value.
    static func isStrict(_ text: [UInt8]) -> Bool {
        var symbols = 0
        var padding = 0
        for c in text {
            if c == UInt8(ascii: "=") { padding += 1; continue }
            if c == 0x0A || c == 0x0D { continue }
            if padding > 0 || table[Int(c)] == 0xFF { return false }
            symbols += 1
        }
        return padding <= 2 && symbols % 4 != 1
    }

    /// Mostly printable ASCII text (at least 90%): what a leaked key in an encoded note decodes to.
    static func looksLikeText(_ bytes: [UInt8]) -> Bool {
        guard !bytes.isEmpty else { return false }
        var printable = 0
        for c in bytes where isTextByte(c) { printable += 1 }
        return printable * 10 >= bytes.count * 9
    }
}

/// Finds base64 string values in JSON held in memory, with their JSON path. A tokenizer rather
/// than a parser: exports are often slightly broken, and what matters is each string's place.
///
/// Every JSON file of a tree goes through here, so the common case is cheap: strings are skipped
/// with `memchr`, a string is looked at only when it is long enough, its first 32 characters are
/// decoded before the rest (hashes and binary blobs fail there), and paths and line numbers are
/// worked out only for a value that is decoded.
enum JSONBase64Values {
    /// Values shorter than this are not tried: too short to hold a key.
    static let minLength = 24

    struct Value {
        /// `$.comments[2].attachment`
        var path: String
        /// Line of the value in the JSON text, 1-based.
        var line: Int
        var decoded: [UInt8]
    }

    private enum Container { case object(key: Range<Int>?), array(index: Int) }

    /// Calls `visit` for each string value that is strict base64 of at least `minLength` characters
    /// and decodes to mostly printable text (or to a gzip or zip archive); `visit` returns false to stop.
    static func walk(_ bytes: [UInt8], visit: (Value) -> Bool) {
        bytes.withUnsafeBytes { walk(bytes: $0, visit: visit) }
    }

    /// ``walk(_:visit:)`` over bytes where they lie (`visit` must not change them).
    static func walk(bytes b: UnsafeRawBufferPointer, visit: (Value) -> Bool) {
        // Most JSON files (manifests, configs, lock files without hashes, API models) have no
        // candidate at all: one pass from quote to quote says so, without the structure walk.
        guard hasCandidate(b) else { return }
        walk(b, visit: visit)
    }

    /// False only when no string of `b` can pass ``decodedText(_:_:)``: every quote (escaped or
    /// not, key or value: more than the walk will try) is taken as the start of a string, and the
    /// same tests are made on what follows it (``quotePasses(_:_:symbols:)``).
    ///
    /// Only quotes that open a long run of value bytes are tested: a value's first `minLength`
    /// bytes are all base64 symbols, `\` (its escapes are `\/`, `\n`, `\r`) or line breaks, and
    /// any such run of 24 bytes holds a 16-byte window at a multiple of 8 made only of them. The
    /// windows are classified sixteen bytes at a time; a full one leads back to its run's start,
    /// whose quote, if it has one, is tested. JSON has a quote every few bytes but few long
    /// runs, so this is a pass over the bytes rather than a stop at every quote.
    static func hasCandidate(_ b: UnsafeRawBufferPointer) -> Bool {
        guard let base = b.baseAddress else { return false }
        let n = b.count
        return Base64Text.symbolTable.withUnsafeBufferPointer { symbols in
            typealias V = SIMD16<UInt8>
            @inline(__always) func inRun(_ c: UInt8) -> Bool { symbols[Int(c)] || c == 0x5C || c == 0x0A || c == 0x0D }
            /// Tests the quote, if any, that opens the run holding the full window at `w` (its first:
            /// the run starts less than sixteen bytes before it).
            func runPasses(_ w: Int) -> Bool {
                var start = w
                while start > 0, inRun(b[start - 1]) { start -= 1 }
                return start > 0 && b[start - 1] == 0x22 && quotePasses(b, start - 1, symbols: symbols)
            }
            let ones = UInt64.max
            let backslash = V(repeating: 0x5C), lf = V(repeating: 0x0A), cr = V(repeating: 0x0D)
            let blank = V(repeating: 0x20), quote = V(repeating: 0x22), comma = V(repeating: 0x2C), colon = V(repeating: 0x3A)
            var i = 0
            // The upper half of the previous block was all run bytes: a window from i - 8.
            var previousHigh = false
            // The run whose quote was tested goes on to the end of the previous block: its
            // further windows are no new run, and are passed over.
            var runOpen = false
            while i + V.scalarCount <= n {
                let v = base.loadUnaligned(fromByteOffset: i, as: V.self)
                // First the bytes that fill JSON and are never run bytes: a blank, a quote, a comma
                // or a colon in both halves, as in most blocks, and neither half can be full.
                let common: SIMDMask<SIMD16<Int8>> = (v .== blank) .| (v .== quote) .| (v .== comma) .| (v .== colon)
                let commonLanes = unsafeBitCast(common, to: SIMD2<UInt64>.self)
                if commonLanes[0] != 0 && commonLanes[1] != 0 {
                    runOpen = false
                    previousHigh = false
                    i += V.scalarCount
                    continue
                }
                // Base64 of either alphabet and padding, then `\ LF CR`: escapes and line breaks.
                let member = symbolLanes(v) .| (v .== backslash) .| (v .== lf) .| (v .== cr)
                let lanes = unsafeBitCast(member, to: SIMD2<UInt64>.self)
                let low = lanes[0] == ones, high = lanes[1] == ones
                if runOpen {
                    // Still in that run while the lower half is all run bytes; a new run cannot
                    // fill a window of this block if the lower half is not.
                    runOpen = low && high
                } else if (previousHigh && low) || (low && high) {
                    if runPasses(previousHigh && low ? i - 8 : i) { return true }
                    runOpen = high
                }
                previousHigh = high
                i += V.scalarCount
            }
            // The last bytes, less than a block: quotes near them whose run reaches past the
            // windows tested above are tested one by one.
            var q = max(0, i - 32)
            while q < n {
                if b[q] == 0x22, quotePasses(b, q, symbols: symbols) { return true }
                q += 1
            }
            return false
        }
    }

    /// Whether the string opened by the quote at `q` could pass ``decodedText(_:_:)``: at least
    /// `minLength` bytes up to the next quote (or the end), all of them base64 symbols, line
    /// breaks or the escapes `\/`, `\n`, `\r`, and a first run of symbols that decodes like text.
    static func quotePasses(_ b: UnsafeRawBufferPointer, _ q: Int, symbols: UnsafeBufferPointer<Bool>) -> Bool {
        let n = b.count
        // decodedText's probe: do the leading symbols decode like text (or an archive's start)?
        func probePasses(_ headSymbols: Int) -> Bool {
            Base64Text.startsLikeTextOrArchive(UnsafeRawBufferPointer(rebasing: b[(q + 1)..<(q + 1 + (headSymbols & ~3))]))
        }
        // The run of bytes a value can be made of, from just after the quote; on the way, the
        // leading symbols that decodedText's probe decodes (before any escape, within the first
        // 32 bytes). A head that fails the probe rules the string out at once: long hashes are
        // not walked to their end.
        var i = q + 1
        var headSymbols = 0
        var inHead = true
        var probed: Bool?
        // The common heads decided sixteen bytes at a time: 32 symbols (an identifier, a hash,
        // base64), or symbols up to the closing quote. Escapes and line breaks take the loop below.
        if q + 33 <= n, let base = b.baseAddress {
            let first = symbolCount(base + q + 1)
            let symbolsRun = first < 16 ? first : 16 + symbolCount(base + q + 17)
            if symbolsRun == 32 {
                probed = probePasses(32)
                if probed == false { return false }
                i = q + 33
                headSymbols = 32
                inHead = false
            } else if b[q + 1 + symbolsRun] == 0x22 {
                return symbolsRun >= minLength && probePasses(symbolsRun)
            }
        }
        while i < n {
            if inHead && i - q - 1 == 32 {
                inHead = false
                probed = probePasses(headSymbols)
                if probed == false { break }
            }
            let c = b[i]
            if symbols[Int(c)] {
                if inHead { headSymbols += 1 }
                i += 1
            } else if c == 0x5C, i + 1 < n, b[i + 1] == 0x2F || b[i + 1] == 0x6E || b[i + 1] == 0x72 {
                if inHead {
                    inHead = false
                    if headSymbols >= minLength {
                        probed = probePasses(headSymbols)
                        if probed == false { break }
                    }
                }
                i += 2
            } else if c == 0x0A || c == 0x0D {
                // Before any escape, a raw line break among the first 32 bytes fails the probe.
                if inHead { break }
                i += 1
            } else {
                break
            }
        }
        // The value must be that run, whole: up to its closing quote (or the end of the text).
        guard probed != false, i >= n || b[i] == 0x22, i - q - 1 >= minLength else { return false }
        return headSymbols < minLength || (probed ?? probePasses(headSymbols))
    }

    /// How many of the sixteen bytes at `p` are base64 symbols (either alphabet, or `=`) before
    /// the first that is not: ``Base64Text/symbolTable``, sixteen bytes at a time.
    @inline(__always)
    static func symbolCount(_ p: UnsafeRawPointer) -> Int {
        let lanes = unsafeBitCast(symbolLanes(p.loadUnaligned(as: SIMD16<UInt8>.self)), to: SIMD2<UInt64>.self)
        if lanes[0] != .max { return (~lanes[0]).trailingZeroBitCount >> 3 }
        if lanes[1] != .max { return 8 + ((~lanes[1]).trailingZeroBitCount >> 3) }
        return 16
    }

    /// The lanes of `v` that are base64 symbols (``Base64Text/symbolTable``: letters of either
    /// case, digits, `+ - / _ =`), sixteen bytes at a time.
    @inline(__always)
    static func symbolLanes(_ v: SIMD16<UInt8>) -> SIMDMask<SIMD16<Int8>> {
        typealias V = SIMD16<UInt8>
        // Letters: OR 0x20 folds case. Digits with `+ , - . /` (0x2B...0x39), then `,` and `.` taken out.
        let letters: SIMDMask<SIMD16<Int8>> = ((v | V(repeating: 0x20)) &- V(repeating: 0x61)) .< V(repeating: 26)
        let digitRange: SIMDMask<SIMD16<Int8>> = (v &- V(repeating: 0x2B)) .< V(repeating: 15)
        let digits = digitRange .& (v .!= V(repeating: 0x2C)) .& (v .!= V(repeating: 0x2E))
        let marks: SIMDMask<SIMD16<Int8>> = (v .== V(repeating: 0x5F)) .| (v .== V(repeating: 0x3D))
        return letters .| digits .| marks
    }

    private static func walk(_ b: UnsafeRawBufferPointer, visit: (Value) -> Bool) {
        guard let base = b.baseAddress else { return }
        let n = b.count
        var stack: [Container] = []
        var linesCountedTo = 0
        var line = 1
        var i = 0
        func path() -> String {
            var p = "$"
            for c in stack {
                switch c {
                case .object(let key): p += "." + (key.map { String(decoding: UnsafeRawBufferPointer(rebasing: b[$0]), as: UTF8.self) } ?? "?")
                case .array(let index): p += "[\(index)]"
                }
            }
            return p
        }
        while i < n {
            // Only quotes, brackets and commas change the state: the bytes between them
            // (indentation, numbers, literals) are stepped over a vector at a time.
            i = nextStructural(base, from: i, count: n)
            guard i < n else { break }
            switch b[i] {
            case 0x7B: stack.append(.object(key: nil))   // {
            case 0x5B: stack.append(.array(index: 0))    // [
            case 0x7D, 0x5D: if !stack.isEmpty { stack.removeLast() }
            case 0x2C:                                    // ,
                if case .array(let index)? = stack.last { stack[stack.count - 1] = .array(index: index + 1) }
                else if case .object? = stack.last { stack[stack.count - 1] = .object(key: nil) }
            case 0x22:                                    // "
                // The closing quote: the first one not escaped by an odd run of backslashes.
                var end = i + 1
                while true {
                    guard let q = memchr(base + end, 0x22, n - end) else { end = n; break }
                    let at = base.distance(to: UnsafeRawPointer(q))
                    var slashes = 0
                    while at - slashes - 1 > i, b[at - slashes - 1] == 0x5C { slashes += 1 }
                    if slashes % 2 == 0 { end = at; break }
                    end = at + 1
                }
                let content = (i + 1)..<end
                if case .object(let key)? = stack.last, key == nil {
                    stack[stack.count - 1] = .object(key: content.lowerBound..<min(content.upperBound, content.lowerBound + 100))
                } else if content.count >= minLength, let decoded = decodedText(b, content) {
                    line += AnchorSearch.countNewlines(b, in: linesCountedTo..<i)
                    linesCountedTo = i
                    if !visit(Value(path: path(), line: line, decoded: decoded)) { return }
                }
                i = end
            default: break
            }
            i += 1
        }
    }

    /// The first of `"`, `{`, `}`, `[`, `]`, `,` at or after `from` (`count` when there is none),
    /// found sixteen bytes at a time with SIMD compares.
    @inline(__always)
    static func nextStructural(_ base: UnsafeRawPointer, from: Int, count n: Int) -> Int {
        typealias V = SIMD16<UInt8>
        let quote = V(repeating: 0x22), comma = V(repeating: 0x2C)
        let openBrace = V(repeating: 0x7B), closeBrace = V(repeating: 0x7D)
        let openBracket = V(repeating: 0x5B), closeBracket = V(repeating: 0x5D)
        var i = from
        while i + V.scalarCount <= n {
            let v = base.loadUnaligned(fromByteOffset: i, as: V.self)
            let hit = (v .== quote) .| (v .== comma) .| (v .== openBrace) .| (v .== closeBrace)
                .| (v .== openBracket) .| (v .== closeBracket)
            // Mask lanes are 0x00 or 0xFF bytes, in memory order (little-endian lanes).
            let lanes = unsafeBitCast(hit, to: SIMD2<UInt64>.self)
            if lanes[0] != 0 { return i + lanes[0].trailingZeroBitCount / 8 }
            if lanes[1] != 0 { return i + 8 + lanes[1].trailingZeroBitCount / 8 }
            i += V.scalarCount
        }
        while i < n {
            switch base.load(fromByteOffset: i, as: UInt8.self) {
            case 0x22, 0x2C, 0x7B, 0x7D, 0x5B, 0x5D: return i
            default: i += 1
            }
        }
        return n
    }

    /// The decoded value when `content` is strict base64 of text (or of a gzip or zip archive).
    private static func decodedText(_ b: UnsafeRawBufferPointer, _ content: Range<Int>) -> [UInt8]? {
        // Cheap test first: the first 32 characters decode to 24 bytes of text?
        // The characters are tested where they are: the probe is the run of symbols at the start.
        let head = content.lowerBound..<min(content.upperBound, content.lowerBound + 32)
        var symbols = 0
        for i in head {
            let c = b[i]
            if c == 0x5C { break }   // an escape: decided on the whole value below
            guard Base64Text.isSymbol(c) else { return nil }
            symbols += 1
        }
        if symbols >= minLength {
            let probe = content.lowerBound..<(content.lowerBound + (symbols & ~3))
            guard Base64Text.startsLikeTextOrArchive(UnsafeRawBufferPointer(rebasing: b[probe])) else { return nil }
        }
        // The value unescaped where base64 in JSON needs it (`\/`, `\n`, `\r`). Every backslash in
        // a JSON string starts an escape, whether or not the string also holds an escaped quote.
        var value: [UInt8] = []
        value.reserveCapacity(content.count)
        var i = content.lowerBound
        while i < content.upperBound {
            let c = b[i]
            if c == 0x5C, i + 1 < content.upperBound {
                switch b[i + 1] {
                case 0x2F: value.append(0x2F)
                case 0x6E: value.append(0x0A)
                case 0x72: value.append(0x0D)
                default: return nil
                }
                i += 2
                continue
            }
            value.append(c)
            i += 1
        }
        guard value.count >= minLength, Base64Text.isStrict(value) else { return nil }
        let decoded = Base64Text.decode(value)
        guard Base64Text.looksLikeText(decoded) || ContentKind.isArchiveStart(decoded) else { return nil }
        return decoded
    }
}

extension StringProtocol {
    fileprivate var trimmed: String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" || f == "\r" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\r" { s = s.dropLast() }
        return String(s)
    }
}
