import Foundation

/// A small, immutable XML element tree: just what AWS responses need (names, text, children).
/// Namespaces are dropped from names; attributes are kept (S3 ACL grantees carry `xsi:type`).
public final class XElement: Sendable {
    public let name: String
    public let text: String
    public let attributes: [String: String]
    public let children: [XElement]

    init(name: String, text: String, attributes: [String: String], children: [XElement]) {
        self.name = name
        self.text = text
        self.attributes = attributes
        self.children = children
    }

    /// First child with this name.
    public func child(_ name: String) -> XElement? { children.first { $0.name == name } }

    /// All children with this name.
    public func children(_ name: String) -> [XElement] { children.filter { $0.name == name } }

    /// Follows a path of child names.
    public func path(_ names: String...) -> XElement? {
        var node: XElement? = self
        for name in names { node = node?.child(name) }
        return node
    }

    /// Text of a child, nil when absent; empty elements give "".
    public func string(_ name: String) -> String? { child(name)?.text }

    /// Items of a wrapped list (`<Users><member>…` or `<instancesSet><item>…`): the wrapper's children.
    public func list(_ name: String) -> [XElement] { child(name)?.children ?? [] }

    /// Finds the first descendant with this name, depth first.
    public func first(_ name: String) -> XElement? {
        if self.name == name { return self }
        for child in children { if let found = child.first(name) { return found } }
        return nil
    }

    /// Parses a whole document; malformed XML is an error naming the line.
    public static func parse(_ data: Data) throws(AWSError) -> XElement {
        var parser = XMLReader(bytes: [UInt8](data))
        do throws(XMLReader.Failure) {
            return try parser.document()
        } catch {
            throw AWSError.decoding("malformed XML at line \(error.line): \(error.reason)")
        }
    }
}

/// A small XML reader for AWS responses: elements, attributes, character data with the predefined
/// and numeric entities, CDATA, comments and processing instructions. Our own rather than
/// Foundation's `XMLParser` because that one is libxml2, which the static release binary would then
/// need from the system (libxml2 is not in Debian's base system). A DOCTYPE is refused: AWS never
/// sends one, and refusing it rules out entity expansion attacks. Nesting is bounded.
struct XMLReader {
    struct Failure: Error {
        var line: Int
        var reason: String
    }

    static let maxDepth = 256

    private let bytes: [UInt8]
    private var index = 0

    init(bytes: [UInt8]) {
        self.bytes = bytes
        // A UTF-8 byte order mark is allowed before the document.
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3 }
    }

    private struct Open {
        var name: String
        var qualified: String
        var attributes: [String: String]
        var text: [UInt8] = []
        var children: [XElement] = []
    }

    private func fail(_ reason: String) -> Failure {
        let line = 1 + bytes[..<min(index, bytes.count)].reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
        return Failure(line: line, reason: reason)
    }

    private func starts(_ text: String) -> Bool {
        let utf8 = Array(text.utf8)
        return index + utf8.count <= bytes.count && bytes[index..<(index + utf8.count)].elementsEqual(utf8)
    }

    /// Moves past `terminator`, failing with `what` at the end of the input.
    private mutating func skip(past terminator: String, _ what: String) throws(Failure) {
        let utf8 = Array(terminator.utf8)
        while index + utf8.count <= bytes.count {
            if bytes[index..<(index + utf8.count)].elementsEqual(utf8) {
                index += utf8.count
                return
            }
            index += 1
        }
        index = bytes.count
        throw fail("unterminated \(what)")
    }

    private static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }

    private static func isNameByte(_ b: UInt8) -> Bool {
        !(isSpace(b) || b == UInt8(ascii: "/") || b == UInt8(ascii: ">") || b == UInt8(ascii: "=")
          || b == UInt8(ascii: "<") || b == UInt8(ascii: "\"") || b == UInt8(ascii: "'"))
    }

    private mutating func skipSpace() {
        while index < bytes.count, Self.isSpace(bytes[index]) { index += 1 }
    }

    private mutating func name() throws(Failure) -> String {
        let start = index
        while index < bytes.count, Self.isNameByte(bytes[index]) { index += 1 }
        guard index > start else { throw fail(index < bytes.count ? "a name was expected" : "unexpected end of the document") }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    /// Decodes character data with entity references into `out`.
    private func decode(_ slice: ArraySlice<UInt8>, into out: inout [UInt8]) throws(Failure) {
        var i = slice.startIndex
        while i < slice.endIndex {
            let b = slice[i]
            guard b == UInt8(ascii: "&") else {
                out.append(b)
                i += 1
                continue
            }
            guard let semicolon = slice[i...].prefix(12).firstIndex(of: UInt8(ascii: ";")) else {
                throw fail("an '&' that starts no entity reference")
            }
            let entity = String(decoding: slice[(i + 1)..<semicolon], as: UTF8.self)
            switch entity {
            case "lt": out.append(UInt8(ascii: "<"))
            case "gt": out.append(UInt8(ascii: ">"))
            case "amp": out.append(UInt8(ascii: "&"))
            case "quot": out.append(UInt8(ascii: "\""))
            case "apos": out.append(UInt8(ascii: "'"))
            default:
                var value: UInt32?
                if entity.hasPrefix("#x") || entity.hasPrefix("#X") { value = UInt32(entity.dropFirst(2), radix: 16) }
                else if entity.hasPrefix("#") { value = UInt32(entity.dropFirst()) }
                guard let value, value != 0, let scalar = Unicode.Scalar(value) else { throw fail("unknown entity '&\(entity);'") }
                out.append(contentsOf: Array(String(Character(scalar)).utf8))
            }
            i = semicolon + 1
        }
    }

    mutating func document() throws(Failure) -> XElement {
        var stack: [Open] = []
        var root: XElement?
        while index < bytes.count {
            if bytes[index] != UInt8(ascii: "<") {
                let start = index
                while index < bytes.count, bytes[index] != UInt8(ascii: "<") { index += 1 }
                if stack.isEmpty {
                    guard bytes[start..<index].allSatisfy(Self.isSpace) else { throw fail("text outside the root element") }
                } else {
                    try decode(bytes[start..<index], into: &stack[stack.count - 1].text)
                }
                continue
            }
            if starts("<!--") {
                try skip(past: "-->", "comment")
            } else if starts("<![CDATA[") {
                guard !stack.isEmpty else { throw fail("CDATA outside the root element") }
                index += 9
                let start = index
                try skip(past: "]]>", "CDATA section")
                stack[stack.count - 1].text.append(contentsOf: bytes[start..<(index - 3)])
            } else if starts("<?") {
                try skip(past: "?>", "processing instruction")
            } else if starts("<!") {
                throw fail("a DOCTYPE or declaration is not accepted in an AWS response")
            } else if starts("</") {
                index += 2
                let qualified = try name()
                skipSpace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: ">") else { throw fail("'>' expected after </\(qualified)") }
                index += 1
                guard let open = stack.popLast() else { throw fail("closing tag </\(qualified)> without an open element") }
                guard open.qualified == qualified else { throw fail("</\(qualified)> closes <\(open.qualified)>") }
                let element = Self.element(open)
                if stack.isEmpty { root = element } else { stack[stack.count - 1].children.append(element) }
            } else {
                index += 1
                guard root == nil else { throw fail("a second root element") }
                let qualified = try name()
                var attributes: [String: String] = [:]
                var selfClosing = false
                while true {
                    skipSpace()
                    guard index < bytes.count else { throw fail("unexpected end of the document in <\(qualified)>") }
                    if bytes[index] == UInt8(ascii: ">") { index += 1; break }
                    if starts("/>") { index += 2; selfClosing = true; break }
                    let attribute = try name()
                    skipSpace()
                    guard index < bytes.count, bytes[index] == UInt8(ascii: "=") else { throw fail("'=' expected after attribute \(attribute)") }
                    index += 1
                    skipSpace()
                    guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") || bytes[index] == UInt8(ascii: "'") else {
                        throw fail("a quoted value expected for attribute \(attribute)")
                    }
                    let quote = bytes[index]
                    index += 1
                    let start = index
                    while index < bytes.count, bytes[index] != quote { index += 1 }
                    guard index < bytes.count else { throw fail("unterminated value of attribute \(attribute)") }
                    var value: [UInt8] = []
                    try decode(bytes[start..<index], into: &value)
                    index += 1
                    // Namespace declarations are not attributes of the data.
                    if attribute != "xmlns" && !attribute.hasPrefix("xmlns:") {
                        attributes[attribute] = String(decoding: value, as: UTF8.self)
                    }
                }
                let local = qualified.split(separator: ":").last.map(String.init) ?? qualified
                let open = Open(name: local, qualified: qualified, attributes: attributes)
                if selfClosing {
                    let element = Self.element(open)
                    if stack.isEmpty { root = element } else { stack[stack.count - 1].children.append(element) }
                } else {
                    guard stack.count < Self.maxDepth else { throw fail("elements nested deeper than \(Self.maxDepth) levels") }
                    stack.append(open)
                }
            }
        }
        if let open = stack.last { throw fail("unexpected end of the document: <\(open.qualified)> is not closed") }
        guard let root else { throw fail("no root element") }
        return root
    }

    private static func element(_ open: Open) -> XElement {
        let raw = String(decoding: open.text, as: UTF8.self)
        let text = open.children.isEmpty ? raw : raw.trimmingCharacters(in: .whitespacesAndNewlines)
        return XElement(name: open.name, text: text, attributes: open.attributes, children: open.children)
    }
}
