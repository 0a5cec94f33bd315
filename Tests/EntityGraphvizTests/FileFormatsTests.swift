import EntityGraph
import EntityGraphviz
import Foundation
import Testing

/// The one format registry: every extension names one format, every name finds its format, and the
/// docs' table has a row for each graph format.
@Suite("File format registry")
struct FileFormatsTests {
    @Test func everyExtensionNamesOneGraphFormat() {
        var seen: [String: String] = [:]
        for format in FileFormats.graphFormats {
            for pathExtension in format.extensions {
                #expect(
                    seen[pathExtension] == nil,
                    "'.\(pathExtension)' names \(seen[pathExtension] ?? "") and \(format.name)")
                seen[pathExtension] = format.name
                #expect(FileFormats.graphFormat(forPath: "x." + pathExtension.uppercased()) == format)
            }
            #expect(FileFormats.graphFormat(named: format.name) == format)
        }
        #expect(FileFormats.graphFormat(named: "document") == FileFormats.document)
        #expect(FileFormats.graphFormat(named: "neo4j")?.interop == .neo4jCSV)
        #expect(FileFormats.graphFormat(forPath: "x.svg") == nil)
        #expect(FileFormats.graphFormat(forPath: "dir/x.ftm.json")?.interop == .ftm)
        #expect(FileFormats.graphFormat(forPath: "x.json") == FileFormats.document)
        #expect(FileFormats.graphFormat(forPath: ".ftm.json") == FileFormats.document)
        #expect(
            FileFormats.graphFormats.filter(\.isReadable).map(\.name) == [
                "json", "dot", "csv", "graphml", "gexf", "ftm",
            ])
        // Every exporter has its entry, with the exporter's own extensions.
        for interop in InteropFormat.allCases {
            #expect(FileFormats.graphFormats.contains { $0.interop == interop })
        }
    }

    @Test func mapFormatsAndTheirExtensions() {
        #expect(FileFormats.mapFormat(forExtension: "SVG") == "svg")
        #expect(FileFormats.mapFormat(forExtension: "htm") == "html")
        #expect(FileFormats.mapFormat(forExtension: "jpeg") == "jpg")
        #expect(FileFormats.mapFormat(forExtension: "gv") == "dot")
        #expect(FileFormats.mapFormat(forExtension: "zzz") == nil)
        #expect(Renderer.format(forExtension: "png") == "png")
        for (format, pathExtension) in [
            ("dot", "gv"), ("canon", "gv"), ("jpeg", "jpg"), ("svgz", "svgz"), ("svg", "svg"),
        ] {
            #expect(FileFormats.fileExtension(forMap: format) == pathExtension)
        }
        for format in FileFormats.mapFormats {
            #expect(FileFormats.mapFormat(forExtension: FileFormats.fileExtension(forMap: format.name)) == format.name)
        }
    }

    @Test("docs/Formats.md has a table row for every graph format")
    func docsTableCoversTheRegistry() throws {
        let docs = try String(
            contentsOf: DOTImportCorpusTests.repositoryRoot.appendingPathComponent("docs/Formats.md"), encoding: .utf8)
        let rows = docs.split(separator: "\n").filter { $0.hasPrefix("| ") }
        for format in FileFormats.graphFormats {
            let named = rows.contains { row in
                row.localizedCaseInsensitiveContains(format.displayName)
                    || format.extensions.contains { row.contains("`." + $0 + "`") }
            }
            #expect(named, "no row for \(format.displayName)")
        }
    }
}
