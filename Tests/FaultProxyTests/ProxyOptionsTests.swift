import Testing
@testable import FaultProxy

/// The command line: every option, its defaults and its mistakes.
struct ProxyOptionsTests {
    @Test func everyOptionIsRead() throws {
        let options = try ProxyOptions.parse(["--upstream", "http://127.0.0.1:5000", "--rate", "0.3", "--seed", "42",
                                              "--faults", "throttle,reset,truncate", "--service", "SNS=1.0", "--service", "s3=0",
                                              "--slow-ms", "150", "--log", "/tmp/p.log", "--port", "8080"])
        #expect(options.upstreamHost == "127.0.0.1")
        #expect(options.upstreamPort == 5000)
        #expect(options.rate == 0.3)
        #expect(options.seed == 42)
        #expect(options.faults == [.throttle, .reset, .truncate])
        #expect(options.serviceRates == ["sns": 1.0, "s3": 0.0])
        #expect(options.slowMilliseconds == 150)
        #expect(options.logPath == "/tmp/p.log")
        #expect(options.listenPort == 8080)
    }

    @Test func defaultsAreAllFaultsAtRateZeroOnAnyPort() throws {
        let options = try ProxyOptions.parse(["--upstream=http://localhost:5000/"])
        #expect(options.upstreamHost == "127.0.0.1")
        #expect(options.rate == 0)
        #expect(options.faults == [.throttle, .internalError, .unavailable, .reset, .slow, .truncate])
        #expect(options.listenHost == "127.0.0.1")
        #expect(options.listenPort == 0)
        #expect(options.slowMilliseconds == 2000)
    }

    @Test func mistakesAreClearErrors() {
        func message(_ arguments: [String]) -> String {
            do { _ = try ProxyOptions.parse(arguments); return "" } catch { return error.description }
        }
        #expect(message([]).contains("--upstream http://127.0.0.1:PORT is required"))
        #expect(message(["--upstream", "http://10.0.0.1:5000"]).contains("not a loopback address"))
        #expect(message(["--upstream", "https://127.0.0.1:5000"]).contains("plain HTTP"))
        #expect(message(["--upstream", "http://127.0.0.1"]).contains("needs a port"))
        #expect(message(["--upstream", "http://127.0.0.1:1", "--rate", "1.5"]).contains("between 0 and 1"))
        #expect(message(["--upstream", "http://127.0.0.1:1", "--faults", "throttle,boom"]).contains("unknown fault 'boom'"))
        #expect(message(["--upstream", "http://127.0.0.1:1", "--service", "sns"]).contains("NAME=RATE"))
        #expect(message(["--upstream", "http://127.0.0.1:1", "--seed", "-1"]).contains("non-negative"))
        #expect(message(["--upstream", "http://127.0.0.1:1", "--rate"]).contains("--rate needs a value"))
        #expect(message(["--upstream", "http://127.0.0.1:1", "--bogus"]).contains("unknown option '--bogus'"))
    }

    @Test func helpIsNotAnError() {
        #expect(throws: ProxyOptionError(ProxyOptions.usage, isHelp: true)) { try ProxyOptions.parse(["--help"]) }
    }
}

/// The seeded fault choice.
struct FaultChooserTests {
    @Test func sameSeedSameFaults() {
        var first = FaultChooser(rate: 0.3, seed: 7)
        var second = FaultChooser(rate: 0.3, seed: 7)
        let a = (0..<500).map { _ in first.choose(service: "ec2") }
        let b = (0..<500).map { _ in second.choose(service: "ec2") }
        #expect(a == b)
        var other = FaultChooser(rate: 0.3, seed: 8)
        #expect((0..<500).map { _ in other.choose(service: "ec2") } != a)
    }

    @Test func rateIsRespectedAndEveryFaultIsUsed() {
        var chooser = FaultChooser(rate: 0.3, seed: 1)
        let picks = (0..<20_000).compactMap { _ in chooser.choose(service: nil) }
        // 6000 expected; 4 standard deviations (about 260) either side.
        #expect(picks.count > 5_740 && picks.count < 6_260, "\(picks.count)")
        for kind in FaultKind.allCases {
            let count = picks.filter { $0 == kind }.count
            #expect(count > 850 && count < 1_150, "\(kind): \(count)")
        }
        // Dealt from a bag: every run of six faults holds each kind once.
        for start in stride(from: 0, to: picks.count - 6, by: 6) {
            #expect(Set(picks[start..<start + 6]).count == 6)
        }
    }

    @Test func serviceRateOverridesTheGlobalRate() {
        var chooser = FaultChooser(rate: 0, serviceRates: ["sns": 1.0], faults: [.throttle, .reset], seed: 3)
        for _ in 0..<200 {
            #expect(chooser.choose(service: "sns") != nil)
            #expect(chooser.choose(service: "ec2") == nil)
            #expect(chooser.choose(service: nil) == nil)
        }
        #expect(chooser.rate(for: "SNS") == 1.0)
    }

    @Test func splitMixKnownValues() {
        // SplitMix64 reference outputs for seed 0 (Vigna's splitmix64.c).
        var generator = SeededGenerator(seed: 0)
        #expect(generator.next() == 0xE220_A839_7B1D_CDAF)
        #expect(generator.next() == 0x6E78_9E6A_A1B9_65F4)
    }
}
