// libFuzzer entry point for the CSV reader, `CSVSheets.decode(nodes:edges:)`, which must never trap.
// The input is split at its first 0x00 byte into the nodes sheet and the edges sheet; without one,
// at its first blank line ("\n\n"); without either, it is all nodes and the edges sheet is empty.
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
    let nodes: Slice<UnsafeBufferPointer<UInt8>>
    let edges: Slice<UnsafeBufferPointer<UInt8>>
    if let zero = bytes.firstIndex(of: 0) {
        nodes = bytes[..<zero]
        edges = bytes[(zero + 1)...]
    } else if let blank = blankLine(in: bytes) {
        nodes = bytes[..<blank]
        edges = bytes[(blank + 2)...]
    } else {
        nodes = bytes[...]
        edges = bytes[size...]
    }
    let decoded = CSVSheets.decode(nodes: nodes, edges: edges)
    _ = decoded.issues.count
    return 0
}

/// The index of the first "\n\n" in `bytes`.
private func blankLine(in bytes: UnsafeBufferPointer<UInt8>) -> Int? {
    guard bytes.count >= 2 else { return nil }
    for index in 0..<(bytes.count - 1) where bytes[index] == 0x0A && bytes[index + 1] == 0x0A {
        return index
    }
    return nil
}
