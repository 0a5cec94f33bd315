import EntityGraph
import EntityGraphviz
import Foundation
var graph = Graph(title: "Tiny")
try graph.add(Entity(id: "alice", name: "Alice", kind: .person, description: "A person."))
try graph.add(Entity(id: "bob", name: "Bob", kind: .person))
try graph.add(Relation(id: "r2", type: "spokeWith", source: "alice", target: "bob", certainty: .claimed))
FileHandle.standardOutput.write(try Renderer().render(graph, format: "svg"))
