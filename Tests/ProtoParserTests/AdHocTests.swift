import Foundation
import SwiftProtobuf
import XCTest
@testable import ProtoParser

/// Development aid: `PROTOPARSER_ADHOC=file.proto PROTOPARSER_ADHOC_I=dir1:dir2 swift test --filter AdHoc`
/// prints the diagnostics and the compiled descriptors of one file.
final class AdHocTests: XCTestCase {
    func testAdHoc() throws {
        let env = ProcessInfo.processInfo.environment
        guard let file = env["PROTOPARSER_ADHOC"] else { throw XCTSkip("PROTOPARSER_ADHOC not set") }
        let paths = (env["PROTOPARSER_ADHOC_I"] ?? ".").split(separator: ":").map(String.init)
        let c = ProtoCompiler(importPaths: paths).compile([file])
        for d in c.diagnostics { print("ADHOC diagnostic: \(d)") }
        if let last = c.files.last { print(last.textFormatString()) }
    }
}

/// Development aid: `PROTOPARSER_SWEEP_ROOT=dir [PROTOPARSER_SWEEP_UNDER=subdir] swift test --filter Sweep`
/// compares every `.proto` under the directory with the newest reference compiler.
final class SweepTests: XCTestCase {
    func testSweep() throws {
        let env = ProcessInfo.processInfo.environment
        guard let root = env["PROTOPARSER_SWEEP_ROOT"], let tools = TestSupport.grpcTools() else { throw XCTSkip("PROTOPARSER_SWEEP_ROOT not set") }
        let under = env["PROTOPARSER_SWEEP_UNDER"].map { $0 + "/" } ?? ""
        let files = TestSupport.protoFiles(under: root + "/" + under).map { under + $0 }.filter {
            let text = (try? String(contentsOfFile: root + "/" + $0, encoding: .utf8)) ?? ""
            return !text.contains("edition = \"2024\"") && !text.contains("edition = \"2026\"")
        }
        let r = TestSupport.compareCorpus(files: files, importPaths: [root, tools.dir + "/_proto"], command: TestSupport.grpcToolsCommand(tools))
        print("SWEEP: \(r.equal) equal, \(r.different.count) different \(r.different), \(r.skipped.count) rejected by reference, accepted-but-rejected \(r.acceptedButRejected) of \(files.count)")
        if let d = r.firstDiff { print(String(d.prefix(6000))) }
    }
}
