import Foundation
import Testing

/// Where schemas come from (docs/schemas.md): the bundled dissectors/, --no-dissectors, --protoset,
/// --proto with -I, GRPCDUMP_DISSECTORS and --dissectors, --type, and --reflect against a live
/// reference server offering reflection v1 or only v1alpha.
@Suite(.timeLimit(.minutes(3)))
struct SchemaOptionTests {
    static let capture = "captures/reference-lo.pcap"
    static let getUser = ["-r", capture, "-v", "--method", "*GetUser"]

    @Test func bundleNamesFieldsByDefaultAndNoDissectorsDecodesRaw() throws {
        let named = try CommandRunner.grpcdump(Self.getUser)
        #expect(named.status == 0)
        #expect(named.stdout.contains("request #1: userservice.GetUserRequest, "))
        #expect(named.stdout.contains("response #1: userservice.User, "))
        #expect(named.stdout.contains("    username: \""))
        #expect(named.stdout.contains("    role: ROLE_"))
        let raw = try CommandRunner.grpcdump(Self.getUser + ["--no-dissectors"])
        #expect(raw.status == 0)
        #expect(!raw.stdout.contains("username"))
        #expect(raw.stdout.contains("request #1: 3 bytes") || raw.stdout.contains("request #1: 2 bytes"))
    }

    @Test func protosetFromProtoc() throws {
        let protoc = try #require(CommandRunner.which("protoc"), "protoc is needed: run scripts/setup.sh (Debian protobuf-compiler)")
        let directory = try CommandRunner.temporaryDirectory("schema")
        defer { try? FileManager.default.removeItem(at: directory) }
        let protoset = directory.appendingPathComponent("user.protoset")
        let made = try CommandRunner.run(protoc, ["-I", "dissectors", "--include_imports", "-o", protoset.path, "reference/userservice.proto"])
        try #require(made.status == 0, "\(made.stderr)")
        let result = try CommandRunner.grpcdump(Self.getUser + ["--no-dissectors", "--protoset", protoset.path, "--json"])
        #expect(result.status == 0)
        #expect(result.stdout.contains(#""type":"userservice.User","json":{"#))
        #expect(result.stdout.contains(#""createdAt":""#))
        let preserved = try CommandRunner.grpcdump(Self.getUser + ["--no-dissectors", "--protoset", protoset.path, "--json", "--preserve-names"])
        #expect(preserved.stdout.contains(#""created_at":""#))
    }

    @Test func protoSourceWithSyntaxErrorIsReportedAndTheRestStillDecodes() throws {
        let directory = try CommandRunner.temporaryDirectory("schema")
        defer { try? FileManager.default.removeItem(at: directory) }
        let broken = directory.appendingPathComponent("broken.proto")
        try "syntax = \"proto3\";\npackage broken;\nmessage M {\n  int32 x = ;\n}\n".write(to: broken, atomically: true, encoding: .utf8)
        let result = try CommandRunner.grpcdump(Self.getUser + ["--proto", broken.path])
        #expect(result.status == 0)
        #expect(result.stderr.contains("broken.proto:4:13: "), "\(result.stderr)")
        #expect(result.stdout.contains("    username: \""))
    }

    @Test func userDirectoryWinsOverTheBundle() throws {
        let directory = try CommandRunner.temporaryDirectory("schema")
        defer { try? FileManager.default.removeItem(at: directory) }
        let source = try String(contentsOf: CommandRunner.packageRoot.appendingPathComponent("dissectors/reference/userservice.proto"), encoding: .utf8)
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("reference"), withIntermediateDirectories: true)
        try source.replacingOccurrences(of: "string username = 2;", with: "string login_name = 2;")
            .write(to: directory.appendingPathComponent("reference/userservice.proto"), atomically: true, encoding: .utf8)
        for run in [try CommandRunner.grpcdump(Self.getUser, environment: ["GRPCDUMP_DISSECTORS": directory.path]),
                    try CommandRunner.grpcdump(Self.getUser + ["--dissectors", directory.path])] {
            #expect(run.status == 0)
            #expect(run.stdout.contains("    login_name: \""), "\(run.stderr)")
            #expect(!run.stdout.contains("username"))
        }
    }

    /// As protoc and grpcurl take them: a --proto name found through -I; the user's schema for a
    /// package the bundle also defines takes precedence without a word; two sources the user gave
    /// that disagree are reported.
    @Test func protoNamesResolveThroughImportPathsAndTheUsersSchemasWinQuietly() throws {
        let directory = try CommandRunner.temporaryDirectory("schema")
        defer { try? FileManager.default.removeItem(at: directory) }
        let source = try String(contentsOf: CommandRunner.packageRoot.appendingPathComponent("dissectors/reference/userservice.proto"), encoding: .utf8)
        let renamed = source.replacingOccurrences(of: "string username = 2;", with: "string login_name = 2;")
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("protos"), withIntermediateDirectories: true)
        try renamed.write(to: directory.appendingPathComponent("protos/users.proto"), atomically: true, encoding: .utf8)
        let imports = ["-I", "dissectors", "-I", directory.appendingPathComponent("protos").path]
        let resolved = try CommandRunner.grpcdump(Self.getUser + ["--proto", "users.proto"] + imports)
        #expect(resolved.status == 0, "\(resolved.stderr)")
        #expect(resolved.stdout.contains("    login_name: \""), "the user's schema, not the bundle's")
        #expect(!resolved.stderr.contains("already defined"), "\(resolved.stderr)")
        // The bundle's own file given as --proto: the same definitions twice, no warning either.
        let again = try CommandRunner.grpcdump(Self.getUser + ["--proto", "dissectors/reference/userservice.proto"])
        #expect(again.status == 0 && !again.stderr.contains("already defined"), "\(again.stderr)")
        // Two of the user's own sources defining the same names: reported.
        try renamed.write(to: directory.appendingPathComponent("other.proto"), atomically: true, encoding: .utf8)
        let clash = try CommandRunner.grpcdump(Self.getUser + ["--proto", "users.proto", "--proto", directory.appendingPathComponent("other.proto").path] + imports)
        #expect(clash.stderr.contains("is already defined in"), "\(clash.stderr)")
        // A name found nowhere.
        let missing = try CommandRunner.grpcdump(Self.getUser + ["--proto", "nowhere.proto", "-I", "dissectors"])
        #expect(missing.status == 2 && missing.stderr.contains("nowhere.proto: cannot read the .proto file: not found in the current directory nor in the import paths (dissectors)"),
                "\(missing.stderr)")
    }

    @Test func forcedTypes() throws {
        // Every message of ListUsers as a User is right for responses and wrong for the request.
        let forced = try CommandRunner.grpcdump(["-r", Self.capture, "-v", "--method", "*GetUser", "--request-type", "google.protobuf.Int64Value"])
        #expect(forced.stdout.contains("request #1: google.protobuf.Int64Value, "))
        let unknown = try CommandRunner.grpcdump(Self.getUser + ["--type", "no.such.Type"])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("--type no.such.Type: no such message type"))
        let missing = try CommandRunner.grpcdump(Self.getUser + ["--protoset", "/nonexistent.protoset"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("/nonexistent.protoset: cannot read"))
    }

    @Test(arguments: ["v1,v1alpha", "v1alpha"])
    func reflectionFromALiveServer(versions: String) throws {
        let server = try Background(CommandRunner.grpcdump, ["serve", "--port", "0", "--quiet", "--reflection", versions], waitFor: "listening on", onStandardError: false)
        defer { server.stop() }
        let port = try #require(server.listeningPort)
        let result = try CommandRunner.grpcdump(Self.getUser + ["--no-dissectors", "--reflect", "127.0.0.1:\(port)"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("response #1: userservice.User, "), "\(result.stderr)")
        #expect(result.stdout.contains("    username: \""))
    }

    @Test func unreachableReflectionServerIsReportedAndDecodingGoesOn() throws {
        let result = try CommandRunner.grpcdump(Self.getUser + ["--no-dissectors", "--reflect", "127.0.0.1:1"])
        #expect(result.status == 0)
        #expect(result.stderr.contains("reflection (127.0.0.1:1): "))
        #expect(result.stdout.contains("request #1: "))
        let bad = try CommandRunner.grpcdump(Self.getUser + ["--reflect", "nowhere"])
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("is not HOST:PORT"))
    }
}
