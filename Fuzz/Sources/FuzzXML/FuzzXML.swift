// libFuzzer entry point for the XML readers, `GraphMLReader.decode` and `GEXFReader.decode`: any input
// must yield a graph or issues, never a trap, a hang or an expanded entity.
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
    // Both readers see every input: a GEXF file fed to the GraphML reader (and back) is an error, not a trap.
    _ = GraphMLReader.decode(bytes, fileName: "fuzz.graphml").issues.count
    _ = GEXFReader.decode(bytes, fileName: "fuzz.gexf").issues.count
    return 0
}
