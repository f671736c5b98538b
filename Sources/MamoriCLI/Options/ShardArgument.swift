import ArgumentParser
import ScanEngine

/// `--shard I/N` on the command line (`scan --org`, `hunt`); the engine owns what a shard is.
extension Shard: ExpressibleByArgument {
    public static var defaultCompletionKind: CompletionKind { .default }
}
