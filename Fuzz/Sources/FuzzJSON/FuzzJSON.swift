// libFuzzer entry point for the JSON reader, `GraphDocument.decode`, which must never trap.
import EntityGraph
import Foundation
import LibFuzzerDriver

@main
enum Main {
    /// Hands the command line to libFuzzer (`-help=1` lists its flags).
    static func main() {
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv, fuzz))
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    let decoded = GraphDocument.decode(bytes, fileName: "fuzz.json")
    _ = decoded.issues.count
    return 0
}
