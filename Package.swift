// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Mamori",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "mamori", targets: ["MamoriCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.6.0"),
    ],
    targets: [
        // Shared vocabulary: findings, severities, configuration (read through StreamIO.RegularFile, YAML depth capped).
        .target(name: "MamoriCore", dependencies: ["Yams", "CBuildInfo", "StreamIO"], resources: [.copy("Resources")]),
        // The commit, date and Swift version a release build stamps in (-Xcc -D…, scripts/release.sh).
        .target(name: "CBuildInfo"),
        // Our own AWS client: SigV4, credential chain, wire protocols, retries, pagination.
        // Transport: AsyncHTTPClient (connection pools, timeouts, proxies, no cancellation deadlock).
        // MamoriCore: the partition of a region (ARNs and endpoint DNS suffixes).
        .target(name: "AWSClient", dependencies: [
            "MamoriCore",
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            // --debug request logging.
            .product(name: "Logging", package: "swift-log"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
        ]),
        // IAM resource-policy analysis (is this S3/SNS/SQS policy public, and why).
        .target(name: "PolicyAnalysis", dependencies: ["MamoriCore"]),
        // The collected inventory: plain Codable values, saved and re-evaluated offline.
        .target(name: "Inventory", dependencies: ["MamoriCore"]),
        // Collectors fill an Inventory from AWS through AWSClient (SecretScan: keys inside cloud resources).
        .target(name: "Collectors", dependencies: ["AWSClient", "Inventory", "MamoriCore", "SecretScan"]),
        // Checks: pure functions from Inventory to findings.
        .target(name: "Checks", dependencies: ["Inventory", "PolicyAnalysis", "MamoriCore"]),
        // Changes to an account: only with --apply, always journaled.
        .target(name: "Remediation", dependencies: ["AWSClient", "MamoriCore"]),
        // The guided response to a leaked access key.
        .target(name: "Respond", dependencies: ["AWSClient", "Remediation", "MamoriCore", "StreamIO"]),
        // Output formats.
        .target(name: "Reports", dependencies: ["MamoriCore", "Inventory", "Checks"]),
        // zlib, for reading gzip logs and archives without shelling out.
        .systemLibrary(name: "CZlib"),
        // libdeflate (Debian libdeflate-dev, linked statically in releases): whole small gzip files, 4x zlib.
        .systemLibrary(name: "CDeflate"),
        // Streaming readers: files, lines, gzip; RegularFile, the one rule for files named as input (no FIFOs or devices).
        .target(name: "StreamIO", dependencies: ["CZlib", "CDeflate"]),
        // Leaked AWS key scanner (files, archives, git, S3 objects through AWSClient).
        .target(name: "SecretScan", dependencies: ["StreamIO", "MamoriCore", "CZlib", "AWSClient"]),
        // Log-format readers: bytes of one line (Zeek TSV/JSON, Suricata EVE, Squid, combined, W3C, CSV,
        // JSON lines) or one JSON object to a flat `Record` of named fields; format detection, IP/CIDR
        // values, timestamps. Depends on nothing: the bottom of both pipelines below.
        .target(name: "LogReaders"),
        // The SIGMA engine shared by `mamori imds scan` and `mamori hunt`: rule parsing, conditions,
        // modifiers, compiled matching over a `Record`, the raw-byte prefilter (Needles/NeedleSearcher,
        // derived from the compiled rules, so it lives with them), and the hunt's rule set, correlations
        // and CloudTrail record reader (its fields are what hunt rules are validated against).
        // LogDetectError keeps its name: both pipelines throw it and users see its messages.
        // The needle prefilter's AVX2 loop, chosen at run time (releases target baseline x86-64).
        .target(name: "CNeedle"),
        .target(name: "SigmaEngine", dependencies: ["LogReaders", "MamoriCore", "Yams", "CNeedle"]),
        // IMDS spoofing detection on top of the engine and readers: the scanner, its built-in rule,
        // config, alerts, suppression, redaction, the host check, and the rule->SIEM query converter
        // (QueryConverter/Dialects/ProductFields: only `mamori imds rule` uses it, and its field maps
        // are the IMDS scanner's source/destination fields).
        .target(name: "LogDetect", dependencies: ["SigmaEngine", "LogReaders", "Yams", "StreamIO", "MamoriCore"]),
        // `mamori hunt`: CloudTrail sources streamed event by event through SigmaEngine, alerts per
        // detection and actor, outputs.
        .target(name: "Hunt", dependencies: ["SigmaEngine", "LogReaders", "StreamIO", "MamoriCore", "AWSClient", "Checks", "Inventory", "Yams"]),
        // Infrastructure-as-code scanner for unpinned AMI look-ups.
        .target(name: "IaCScan", dependencies: ["MamoriCore", "StreamIO", "Yams"]),
        // Scan history: every scan's findings, errors and per-account checkpoints (SQLite via GRDB).
        .target(name: "History", dependencies: ["MamoriCore", "Inventory", .product(name: "GRDB", package: "GRDB.swift")]),
        // The same history store on a shared PostgreSQL server (teams, sharded organisation scans).
        .target(name: "HistoryPostgres", dependencies: ["History", .product(name: "PostgresNIO", package: "postgres-nio")]),
        // The scan workflow between the CLI and the libraries: organisation scans (fan-out over member
        // accounts, a checkpoint per account, resume, shards, conclude), storing a scan and its per-account
        // metrics, the previous scan of the same target and `--fail-on new`, the inventory file (version
        // gate, read account by account) and key verification. Returns values and events; never prints.
        .target(name: "ScanEngine", dependencies: ["AWSClient", "Collectors", "Checks", "Inventory", "MamoriCore", "Reports", "History", "StreamIO"]),
        // `mamori serve`: the read-only web dashboard over the history store (the previous scan and
        // stored metrics come from ScanEngine, the comparison from History's ScanDiff, as for `diff`).
        .target(name: "Dashboard", dependencies: [
            "History", "MamoriCore", "Reports", "Checks", "ScanEngine",
            .product(name: "Hummingbird", package: "hummingbird"),
            // Connection cap and idle timeout (MaximumAvailableConnections, HTTP1Channel.Configuration).
            .product(name: "HummingbirdCore", package: "hummingbird"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "Mustache", package: "swift-mustache"),
        ], resources: [.copy("Templates")]),
        // A fault-injecting HTTP proxy for resilience tests (throttling, 5xx, resets, slow and truncated responses).
        .target(name: "FaultProxy", dependencies: [
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
        ]),
        .executableTarget(name: "mamori-fault-proxy", dependencies: ["FaultProxy"], path: "Sources/FaultProxyMain"),
        // The `mamori` executable: parses options (Options/), calls the engine and libraries (Commands/, one
        // command per file), renders and maps every error to an exit code in one place (Support/).
        .executableTarget(
            name: "MamoriCLI",
            dependencies: [
                "MamoriCore", "AWSClient", "PolicyAnalysis", "Inventory", "Collectors", "Checks",
                "Reports", "SecretScan", "LogDetect", "SigmaEngine", "LogReaders", "IaCScan", "StreamIO", "Remediation", "Respond",
                "History", "HistoryPostgres", "Dashboard", "Hunt", "ScanEngine",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Every parser of untrusted bytes as a fuzz target: the seeded harness (Tests/FuzzTests) and
        // `mamori-fuzz` (replay; a libFuzzer binary when built by scripts/fuzz.sh --libfuzzer) share it.
        .target(name: "FuzzTargets", dependencies: [
            "AWSClient", "IaCScan", "LogDetect", "SigmaEngine", "LogReaders", "Hunt", "MamoriCore", "PolicyAnalysis", "SecretScan", "StreamIO",
        ]),
        .executableTarget(name: "mamori-fuzz", dependencies: ["FuzzTargets"], path: "Sources/MamoriFuzz"),
        // Benchmark driver for PolicyAnalysis (bench/policy/policy-speed.sh).
        .executableTarget(name: "policy-bench", dependencies: ["PolicyAnalysis"], path: "Benchmarks/PolicyBench"),
        .testTarget(name: "AWSClientTests", dependencies: ["AWSClient", "AWSTestSupport", "MamoriCore", .product(name: "Logging", package: "swift-log")],
                    resources: [.copy("Fixtures")]),
        // Recorded AWS responses for the libraries that call AWS (one replay transport for all of them).
        .target(name: "AWSTestSupport", dependencies: ["AWSClient"], path: "Tests/AWSTestSupport"),
        .testTarget(name: "InventoryTests", dependencies: ["Inventory", "MamoriCore"]),
        .testTarget(name: "CollectorsTests", dependencies: ["Collectors", "AWSClient", "AWSTestSupport", "Inventory"]),
        .testTarget(name: "RemediationTests", dependencies: ["Remediation", "AWSClient", "AWSTestSupport"]),
        .testTarget(name: "PolicyAnalysisTests", dependencies: ["PolicyAnalysis"]),
        .testTarget(name: "ChecksTests", dependencies: ["Checks", "Inventory", "MamoriCore", "Reports", "Collectors", "AWSClient", "AWSTestSupport", "Yams"]),
        .testTarget(name: "SecretScanTests", dependencies: ["MamoriTestSupport", "SecretScan", "MamoriCore", "StreamIO"]),
        .testTarget(name: "LogDetectTests", dependencies: ["LogDetect", "SigmaEngine", "LogReaders", "StreamIO", "MamoriTestSupport"]),
        .testTarget(name: "SigmaEngineTests", dependencies: ["SigmaEngine", "LogReaders", "MamoriTestSupport"]),
        .testTarget(name: "LogReadersTests", dependencies: ["LogReaders", "MamoriTestSupport"]),
        .testTarget(name: "StreamIOTests", dependencies: ["StreamIO", "MamoriTestSupport"]),
        .testTarget(name: "MamoriCoreTests", dependencies: ["MamoriCore"]),
        .testTarget(name: "HuntTests", dependencies: ["Hunt", "SigmaEngine", "LogReaders", "StreamIO", "MamoriCore", "Respond", "Inventory", "AWSClient"]),
        .testTarget(name: "IaCScanTests", dependencies: ["IaCScan"], exclude: ["Corpus"]),
        .testTarget(name: "RespondTests", dependencies: ["MamoriTestSupport", "AWSTestSupport", "Respond", "AWSClient", "Remediation"]),
        .testTarget(name: "ReportsTests", dependencies: ["Reports", "Checks", "Inventory", "MamoriCore"], exclude: ["Golden"]),
        .testTarget(name: "HistoryTests", dependencies: ["History", "HistoryPostgres", "MamoriCore", "Inventory", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "DashboardTests", dependencies: [
            "Dashboard", "History", "MamoriCore", "Inventory", "MamoriTestSupport",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdTesting", package: "hummingbird"),
        ]),
        .testTarget(name: "FaultProxyTests", dependencies: ["FaultProxy"]),
        // Seeded mutation fuzzing of every parser of untrusted bytes, over a committed corpus.
        .testTarget(name: "FuzzTests", dependencies: ["FuzzTargets", "MamoriTestSupport"], exclude: ["Corpus", "Regressions"]),
        .testTarget(name: "ScanEngineTests", dependencies: ["ScanEngine", "History", "Collectors", "Checks", "Inventory", "MamoriCore"]),
        // Shared by the test targets: child processes with deadlines (no test can hang the suite).
        .target(name: "MamoriTestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "EndToEndTests", dependencies: ["Checks", "MamoriCLI", "mamori-fault-proxy", "MamoriTestSupport"]),
    ]
)
