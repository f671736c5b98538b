/// The fields of one parsed log line, decoded, keyed by the log's own field names
/// (plus any aliases from the format or the config's field mapping).
///
/// Built only for lines that pass the prefilter, so a dictionary is affordable here.
public struct Record: Sendable {
    /// Field values as UTF-8 bytes. Absent/unset fields (`-` in Zeek and W3C, JSON null) are not stored.
    public var fields: [String: [UInt8]] = [:]

    public init(fields: [String: [UInt8]] = [:]) { self.fields = fields }

    public subscript(_ name: String) -> [UInt8]? {
        get { fields[name] }
        set { fields[name] = newValue }
    }

    /// The value of the first present field among `names`, as text.
    public func text(_ names: [String]) -> String? {
        for name in names {
            if let v = fields[name], !v.isEmpty { return String(decoding: v, as: UTF8.self) }
        }
        return nil
    }
}
