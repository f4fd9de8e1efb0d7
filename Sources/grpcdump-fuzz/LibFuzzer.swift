#if FUZZING
import FuzzTargets
import Glibc

/// libFuzzer's driver, for a program with its own main (llvm.org/docs/LibFuzzer.html, "Using
/// libFuzzer as a library").
@_silgen_name("LLVMFuzzerRunDriver")
private func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt

/// The target the driver's callback runs (a C callback captures nothing).
nonisolated(unsafe) private var selected = FuzzTarget.protobufRaw

enum LibFuzzer {
    /// The target, for the copies of the program libFuzzer starts.
    static let targetVariable = "GRPCDUMP_FUZZ_TARGET"

    /// Hands the driver the program's arguments without the target's name.
    static func run(_ target: FuzzTarget, namedInArguments: Bool) -> Never {
        selected = target
        setenv(targetVariable, target.rawValue, 1)
        var argc = CommandLine.argc - (namedInArguments ? 1 : 0)
        let argv = CommandLine.unsafeArgv
        if namedInArguments { argv[1] = argv[0] }  // the program's name where the target's was
        var shifted: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = argv + (namedInArguments ? 1 : 0)
        exit(LLVMFuzzerRunDriver(&argc, &shifted) { data, size in
            selected.run(size == 0 ? [] : Array(UnsafeBufferPointer(start: data, count: size)))
            return 0
        })
    }
}
#endif
