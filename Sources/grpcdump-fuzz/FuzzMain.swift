import Foundation
import FuzzTargets
import TestSupport

/// `grpcdump-fuzz`: the fuzz targets (docs/reliability.md).
///
///     grpcdump-fuzz TARGET [libFuzzer options] [CORPUS...]   built with scripts/fuzz.sh: fuzz
///     grpcdump-fuzz TARGET FILE|DIR...                       an ordinary build: run these inputs
///     grpcdump-fuzz seed OUTDIR CAPTURE[=KEYLOG]... [--proto FILE]... [--keylog FILE]...
///     grpcdump-fuzz hostile OUTDIR [SCALE]                   the hostile captures (scripts/hostile.sh)
///     grpcdump-fuzz list                                     the targets' names
///     grpcdump-fuzz pack DIR ARCHIVE [MAXBYTES] | unpack ARCHIVE DIR
///                                                            a corpus to and from its archive (the
///                                                            smallest inputs, up to MAXBYTES in all)
///
/// The libFuzzer build is compiled with `-D FUZZING` and linked with libFuzzer's driver (the
/// `fuzzer_no_main` runtime); its main hands the driver the chosen target.
@main struct FuzzMain {
    static func main() {
        let arguments = CommandLine.arguments
        guard arguments.count >= 2 else { usage() }
        if arguments[1] == "seed" { return seed(Array(arguments.dropFirst(2))) }
        if arguments[1] == "hostile" { return hostile(Array(arguments.dropFirst(2))) }
        if arguments[1] == "pack", arguments.count >= 4 {
            return pack(arguments[2], into: arguments[3], maxBytes: arguments.count > 4 ? Int(arguments[4]) ?? .max : .max)
        }
        if arguments[1] == "unpack", arguments.count == 4 { return unpack(arguments[2], into: arguments[3]) }
        if arguments[1] == "list" { return print(FuzzTarget.allCases.map(\.rawValue).joined(separator: "\n")) }
        #if FUZZING
        // libFuzzer runs the program again for -merge, -fork and -jobs, with its own options
        // only: the target then comes from the environment.
        if let inherited = ProcessInfo.processInfo.environment[LibFuzzer.targetVariable], FuzzTarget(rawValue: arguments[1]) == nil {
            guard let target = FuzzTarget(rawValue: inherited) else { fail("unknown target '\(inherited)' in \(LibFuzzer.targetVariable)") }
            LibFuzzer.run(target, namedInArguments: false)
        }
        #endif
        guard let target = FuzzTarget(rawValue: arguments[1]) else {
            fail("unknown target '\(arguments[1])'; the targets: \(FuzzTarget.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        #if FUZZING
        LibFuzzer.run(target, namedInArguments: true)
        #else
        replay(target, paths: Array(arguments.dropFirst(2)))
        #endif
    }

    /// Runs each input once (each file, or each file of a directory), as a fuzzer would.
    static func replay(_ target: FuzzTarget, paths: [String]) {
        var count = 0, slowest = (seconds: 0.0, name: "")
        for path in paths {
            for file in inputFiles(path) {
                guard let data = FileManager.default.contents(atPath: file) else { fail("cannot read \(file)") }
                let start = Date()
                target.run([UInt8](data))
                let seconds = Date().timeIntervalSince(start)
                if seconds > slowest.seconds { slowest = (seconds, file) }
                count += 1
            }
        }
        print("\(target.rawValue): \(count) inputs, slowest \(String(format: "%.3f", slowest.seconds)) s \(slowest.name)")
    }

    static func inputFiles(_ path: String) -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { fail("no such file: \(path)") }
        guard isDirectory.boolValue else { return [path] }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        return names.filter { !$0.hasPrefix(".") }.sorted().map { path + "/" + $0 }
    }

    static func pack(_ directory: String, into archive: String, maxBytes: Int) {
        let inputs = inputFiles(directory).map { file in
            guard let data = FileManager.default.contents(atPath: file) else { fail("cannot read \(file)") }
            return [UInt8](data)
        }
        var kept: [[UInt8]] = [], total = 0
        for input in inputs.sorted(by: { $0.count < $1.count || $0.count == $1.count && $0.lexicographicallyPrecedes($1) }) {
            guard total + input.count <= maxBytes else { break }
            kept.append(input)
            total += input.count
        }
        write(CorpusArchive.pack(kept), to: archive)
    }

    static func unpack(_ archive: String, into directory: String) {
        guard let data = FileManager.default.contents(atPath: archive), let inputs = CorpusArchive.unpack([UInt8](data)) else {
            fail("cannot read \(archive) as a corpus archive")
        }
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for input in inputs { write(input, to: directory + "/" + SeedCorpus.hashName(input)) }
    }

    /// Writes every target's seeds under OUTDIR/TARGET/.
    static func seed(_ arguments: [String]) {
        guard let outDirectory = arguments.first else { usage() }
        var corpus = SeedCorpus()
        var rest = arguments.dropFirst()
        while let argument = rest.popFirst() {
            func contents(_ path: String) -> [UInt8] {
                guard let data = FileManager.default.contents(atPath: path) else { fail("cannot read \(path)") }
                return [UInt8](data)
            }
            func value() -> String {
                guard let value = rest.popFirst() else { usage() }
                return value
            }
            switch argument {
            case "--proto": corpus.add(.protoParser, contents(value()))
            case "--keylog": corpus.add(.keylog, contents(value()))
            default:
                let parts = argument.split(separator: "=", maxSplits: 1).map(String.init)
                corpus.addCapture(contents(parts[0]), keyLog: parts.count > 1 ? contents(parts[1]) : [])
            }
        }
        for (target, name, bytes) in corpus.files() {
            let directory = outDirectory + "/" + target.rawValue
            try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            write(bytes, to: directory + "/" + name)
        }
        print("seeds: " + FuzzTarget.allCases.map { "\($0.rawValue) \(corpus.seeds[$0]?.count ?? 0)" }.joined(separator: ", "))
    }

    /// Writes each hostile capture as OUTDIR/NAME.pcap.
    static func hostile(_ arguments: [String]) {
        guard let outDirectory = arguments.first else { usage() }
        let scale = arguments.count > 1 ? Double(arguments[1]) ?? 1 : 1
        try? FileManager.default.createDirectory(atPath: outDirectory, withIntermediateDirectories: true)
        for capture in HostileCapture.allCases {
            let bytes = capture.capture(scale: scale)
            write(bytes, to: "\(outDirectory)/\(capture.rawValue).pcap")
            print("\(capture.rawValue).pcap: \(bytes.count) bytes")
        }
    }

    static func write(_ bytes: [UInt8], to path: String) {
        guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else { fail("cannot write \(path)") }
    }

    static func usage() -> Never {
        fail("""
            usage: grpcdump-fuzz TARGET FILE|DIR...   (or, built by scripts/fuzz.sh, TARGET [libFuzzer options] [CORPUS...])
                   grpcdump-fuzz seed OUTDIR CAPTURE[=KEYLOG]... [--proto FILE]... [--keylog FILE]...
                   grpcdump-fuzz hostile OUTDIR [SCALE]
            targets: \(FuzzTarget.allCases.map(\.rawValue).joined(separator: ", "))
            """)
    }

    static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data(("grpcdump-fuzz: " + message + "\n").utf8))
        exit(2)
    }
}
