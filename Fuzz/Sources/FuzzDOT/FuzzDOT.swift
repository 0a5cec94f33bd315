// libFuzzer entry point for the DOT reader, `DOTImport.read(_:fileName:options:)`: any input must
// yield a graph or a `DOTImportError`, never a trap or a memory error (Graphviz's parser included).
import EntityGraph
import EntityGraphviz
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
    let bytes = data.map { Data(bytes: $0, count: size) } ?? Data()
    do throws(DOTImportError) {
        let graph = try DOTImport.read(bytes, fileName: "fuzz.dot")
        _ = graph
    } catch {
        _ = error.code
    }
    return 0
}
