import Foundation

extension DOTExport.Plan {
    /// Builds the plan's ``DOTGraph`` with cgraph and writes it with agwrite. Runs under the Graphviz lock.
    ///
    /// agwrite writes each node's out-edges right after the node, so a later node would first appear as
    /// the head of an edge and be created there when the file is read back; declaring every node in one
    /// subgraph, which agwrite writes before the edges, keeps the entities' order (it has a name: agwrite
    /// leaves out an anonymous subgraph without attributes of its own).
    func write(session: inout Session) throws(GraphvizError) -> Data {
        var graph = dot
        let owner = try session.build(&graph, releasing: false, checked: false, format: "dot")
        guard let data = session.dotText(of: owner) else {
            throw GraphvizError(
                code: .writeFailed, stage: .write, format: "dot", graphvizMessages: session.takeMessages(),
                message: "agwrite failed")
        }
        _ = session.takeMessages()
        return data
    }
}
