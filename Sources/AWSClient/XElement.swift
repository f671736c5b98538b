import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

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
        let builder = TreeBuilder()
        let parser = XMLParser(data: data)
        parser.delegate = builder
        parser.shouldProcessNamespaces = false
        if !parser.parse() || builder.root == nil {
            let reason = parser.parserError.map { "\($0.localizedDescription)" } ?? "no root element"
            throw AWSError.decoding("malformed XML at line \(parser.lineNumber): \(reason)")
        }
        return builder.root!
    }
}

private final class TreeBuilder: NSObject, XMLParserDelegate {
    private struct Open {
        var name: String
        var attributes: [String: String]
        var text = ""
        var children: [XElement] = []
    }

    private var stack: [Open] = []
    var root: XElement?

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
        let local = elementName.split(separator: ":").last.map(String.init) ?? elementName
        stack.append(Open(name: local, attributes: attributeDict))
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if !stack.isEmpty { stack[stack.count - 1].text += string }
    }

    func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
        if !stack.isEmpty { stack[stack.count - 1].text += String(decoding: CDATABlock, as: UTF8.self) }
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
        guard let open = stack.popLast() else { return }
        let text = open.children.isEmpty ? open.text : open.text.trimmingCharacters(in: .whitespacesAndNewlines)
        let element = XElement(name: open.name, text: text, attributes: open.attributes, children: open.children)
        if stack.isEmpty { root = element } else { stack[stack.count - 1].children.append(element) }
    }
}
