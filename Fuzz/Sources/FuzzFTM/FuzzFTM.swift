// libFuzzer entry point for the FollowTheMoney reader, `FtMReader.decode`: any input must yield a
// graph or issues, never a trap. A graph that was read is written back as FtM too, since the writer
// sees every value the reader kept (`ftm:` attributes, merged fragments, declared kinds).
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
    let decoded = FtMReader.decode(bytes, fileName: "fuzz.ftm.json")
    if let graph = decoded.graph {
        _ = graph.export(as: .ftm).data.count
    }
    return 0
}
