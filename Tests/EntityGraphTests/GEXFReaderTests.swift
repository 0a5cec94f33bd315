import Foundation
import Testing

@testable import EntityGraph

@Suite struct GEXFReaderTests {
    typealias Support = XMLReaderTestSupport

    @Test func seedGraphRoundTrips() throws {
        let seed = try InteropFixtures.seed()
        let decoded = GEXFReader.decode(Support.exported(seed, as: .gexf), fileName: "seed.gexf")
        #expect(decoded.errors.isEmpty, "\(decoded.errors.map(\.description))")
        let graph = try #require(decoded.graph)
        Support.expectSameContent(graph, seed)
        #expect(graph.title == seed.title)
        Support.expectValidDocument(graph)
    }

    @Test func hostileFixtureRoundTripsWithDocumentedReplacements() throws {
        let hostile = try Support.hostile()
        let decoded = GEXFReader.decode(Support.exported(hostile, as: .gexf), fileName: "hostile.gexf")
        #expect(decoded.errors.isEmpty, "\(decoded.errors.map(\.description))")
        let graph = try #require(decoded.graph)
        Support.expectSameContent(graph, hostile)
        Support.expectValidDocument(graph)
    }

    /// Modelled on networkx 3.x `write_gexf(version="1.2draft")` of an undirected graph with viz data,
    /// plus a Gephi-style attribute block with a default and a mutual edge.
    static let networkx = """
        <?xml version='1.0' encoding='utf-8'?>
        <gexf xmlns:viz="http://www.gexf.net/1.2draft/viz" xmlns="http://www.gexf.net/1.2draft" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://www.gexf.net/1.2draft http://www.gexf.net/1.2draft/gexf.xsd" version="1.2">
          <meta lastmodifieddate="2026-12-02">
            <creator>NetworkX 3.6.1</creator>
          </meta>
          <graph defaultedgetype="undirected" mode="dynamic" name="" timeformat="date">
            <attributes mode="static" class="node">
              <attribute id="0" title="population" type="long"><default>0</default></attribute>
              <attribute id="1" title="capital" type="boolean"/>
            </attributes>
            <nodes>
              <node id="1" label="One">
                <attvalues><attvalue for="0" value="9000000"/><attvalue for="1" value="true"/></attvalues>
                <viz:color r="1" g="2" b="3" a="0.5" />
                <viz:size value="3.0" />
                <viz:position x="1.0" y="2.0" z="0.0" />
              </node>
              <node id="2" label="2" />
            </nodes>
            <edges>
              <edge source="1" target="2" id="0" label="borders" weight="1.5" start="2020-01-01" />
              <edge source="2" target="1" id="1" type="mutual" label="trades with">
                <spells><spell start="2021-03" end="2022"/></spells>
              </edge>
            </edges>
          </graph>
        </gexf>
        """

    @Test func readsNetworkxAndGephiOutput() throws {
        let decoded = GEXFReader.decode(Array(Self.networkx.utf8), fileName: "nx.gexf")
        #expect(decoded.errors.isEmpty, "\(decoded.errors.map(\.description))")
        let graph = try #require(decoded.graph)
        #expect(graph.attributes["creator"] == "NetworkX 3.6.1")
        let one = try #require(graph.entities["1"])
        #expect(one.name == "One")
        #expect(one.attributes["population"] == .integer(9_000_000))
        #expect(one.attributes["capital"] == true)
        #expect(
            one.attributes["viz"]
                == [
                    "color": ["r": 1, "g": 2, "b": 3, "a": 0.5], "size": 3.0,
                    "position": ["x": 1.0, "y": 2.0, "z": 0.0],
                ])
        #expect(graph.entities["2"]?.attributes["population"] == .integer(0))
        let borders = try #require(graph.relations["0"])
        #expect(borders.type == "borders")
        #expect(borders.since == PartialDate("2020-01-01"))
        #expect(borders.attributes["weight"] == .double(1.5))
        #expect(borders.attributes["directed"] == false)
        #expect(graph.relationType("borders")?.symmetric == true)
        let trades = try #require(graph.relations["1"])
        #expect(trades.type == "tradesWith")
        #expect(trades.attributes["mutual"] == true)
        #expect(trades.since == PartialDate("2021-03"))
        #expect(trades.until == PartialDate("2022"))
        Support.expectValidDocument(graph)
    }

    @Test func errorsCarryLineColumnAndSuggestion() throws {
        let text = """
            <gexf version="1.3">
              <graph defaultedgetype="directed">
                <nodes><node id="minsk" label="Minsk"/></nodes>
                <edges><edge id="e" source="minsk" target="minks"/></edges>
              </graph>
            </gexf>
            """
        let decoded = GEXFReader.decode(Array(text.utf8), fileName: "m.gexf")
        let error = try #require(decoded.errors.first)
        #expect(error.code == .unknownEntity)
        #expect(error.line == 4)
        #expect(error.suggestion == "did you mean 'minsk'?")
        #expect(decoded.graph == nil)
    }

    @Test("edge weights are read as the CSV and JSON readers read numbers; text a double would change stays text")
    func weightsAreNumbersKeptExactly() throws {
        let text = """
            <gexf version="1.3">
              <graph defaultedgetype="directed">
                <nodes><node id="a"/></nodes>
                <edges>
                  <edge id="e1" source="a" target="a" weight="3"/>
                  <edge id="e2" source="a" target="a" weight="0.1"/>
                  <edge id="e3" source="a" target="a" weight="4.9e-325"/>
                  <edge id="e4" source="a" target="a" weight="1e400"/>
                  <edge id="e5" source="a" target="a" weight="NaN"/>
                </edges>
              </graph>
            </gexf>
            """
        let graph = try #require(GEXFReader.decode(Array(text.utf8)).graph)
        #expect(graph.relations.values.map(\.attributes["weight"]) == [3, 0.1, "4.9e-325", "1e400", "NaN"])
    }

    @Test func hostileXMLIsRefused() {
        let laughs = "<?xml version=\"1.0\"?>\n<!DOCTYPE g [<!ENTITY a \"aaaa\">]>\n<gexf><graph/></gexf>"
        #expect(GEXFReader.decode(Array(laughs.utf8)).issues.map(\.code) == [.documentTypeDeclaration])
        #expect(GEXFReader.decode(Array("<gexf><graph>".utf8)).issues.map(\.code) == [.invalidXML])
        #expect(GEXFReader.decode([0x3C, 0xFF, 0xFE]).issues.count == 1)
        let graphml = "<graphml><graph/></graphml>"
        #expect(GEXFReader.decode(Array(graphml.utf8)).issues.map(\.code) == [.notAGraphDocument])
    }

    @Test(arguments: 0..<40)
    func randomGraphsRoundTrip(seed: Int) throws {
        let original = Support.randomGraph(seed: UInt64(seed) &* 104_729 &+ 3)
        let decoded = GEXFReader.decode(Support.exported(original, as: .gexf))
        #expect(decoded.errors.isEmpty, "\(decoded.errors.map(\.description))")
        let graph = try #require(decoded.graph)
        Support.expectSameContent(graph, original)
        Support.expectValidDocument(graph)
    }
}
