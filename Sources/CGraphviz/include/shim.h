// The C surface EntityGraphviz needs from Graphviz, and nothing more. Definitions, and the C state
// they keep (the id discipline's open graph, the DOT reader's channel), are in ../shim.c.
//
// Swift cannot read mutable C globals (Agdirected, ...) in Swift 6 mode and cannot call macros
// (agtail, aghead, AGSEQ), and Graphviz's signatures differ across versions (char * vs const char *,
// unsigned int vs size_t lengths, gvPluginList's arity). Every difference is absorbed in shim.c
// behind the version macros, so the Swift side sees one stable API: eg_* functions taking
// const char * and size_t.
#ifndef ENTITYGRAPH_CGRAPHVIZ_SHIM_H
#define ENTITYGRAPH_CGRAPHVIZ_SHIM_H

#include <stddef.h>
#include <graphviz/graphviz_version.h>
#include <graphviz/gvc.h>
#include <graphviz/cgraph.h>

// Exported by libgvc but absent from the installed headers: drops the context's job list. Called
// after a failed render so a stale job (with a dangling format) cannot make the next render also
// write to stdout.
extern void gvjobs_delete(GVC_t *gvc);

/// The Graphviz version the package was built against ("2.43.0").
const char *eg_graphviz_version(void);
/// 1 for Graphviz 2.x headers (no GRAPHVIZ_VERSION_MAJOR), which get the package's id discipline.
int eg_graphviz_is_legacy(void);

/// Resets the layout state Graphviz 2.x keeps in globals between layouts (EdgeLabelsDone).
void eg_reset_layout_state(void);

// Graph descriptors (mutable globals in cgraph).
Agdesc_t eg_directed(void);
Agdesc_t eg_strict_directed(void);
Agdesc_t eg_undirected(void);
Agdesc_t eg_strict_undirected(void);

// Macros.
Agnode_t *eg_tail(Agedge_t *e);
Agnode_t *eg_head(Agedge_t *e);
/// Creation order of a graph, node, edge or subgraph within its root graph (AGSEQ, a bit-field).
unsigned long eg_sequence(void *object);

/// A new root graph; on Graphviz 2.x with the package's deterministic id discipline.
Agraph_t *eg_open(const char *name, Agdesc_t desc);
/// agclose, plus the id discipline's cleanup when agclose gives up half-way. Returns agclose's result.
int eg_close(Agraph_t *g);

// String-taking calls, as const char * on every version. cgraph copies the strings it keeps.
Agraph_t *eg_subgraph(Agraph_t *g, const char *name);
Agnode_t *eg_node(Agraph_t *g, const char *name);
Agnode_t *eg_find_node(Agraph_t *g, const char *name);
Agedge_t *eg_edge(Agraph_t *g, Agnode_t *t, Agnode_t *h, const char *name);
Agsym_t *eg_declare(Agraph_t *g, int kind, const char *name, const char *def);
int eg_set(void *obj, Agsym_t *sym, const char *value);
const char *eg_get(void *obj, const char *name);
/// The attribute symbol `name` visible from `g` for objects of `kind` (AGRAPH, AGNODE, AGEDGE),
/// without declaring it; NULL when undeclared.
Agsym_t *eg_find_attribute(Agraph_t *g, int kind, const char *name);
/// 1 when `value` (a string cgraph handed out) was made from `<...>` in DOT (aghtmlstr).
int eg_is_html_string(const char *value);

/// A reader over `length` bytes at `data` (not copied: they must outlive the reader) that hands the
/// whole input to Graphviz's parser, so every graph is read and every syntax error seen; NULL when
/// out of memory. Free with eg_dot_reader_free.
typedef struct eg_dot_reader eg_dot_reader;
eg_dot_reader *eg_dot_reader_new(const char *data, size_t length);
void eg_dot_reader_free(eg_dot_reader *reader);
/// The next graph of the input (agread), or NULL at the end or on a syntax error (the error callback
/// has the message). A graph may come back together with an error ("memory exhausted"): check
/// agerrors() as well.
Agraph_t *eg_dot_reader_next(eg_dot_reader *reader);
/// Reads and closes whatever the lexer still holds after a parse; returns how many graphs it closed.
int eg_drain_parser(void);

/// gvRenderData with the length as size_t on every version.
int eg_render_data(GVC_t *gvc, Agraph_t *g, const char *format, char **result, size_t *length);
/// The graph as DOT text through cgraph's writer (agwrite), without layout; free with free().
int eg_write_dot(Agraph_t *g, char **result, size_t *length);

/// The plugin names of one kind ("layout", "device", ...); free with eg_free_plugin_list.
char **eg_plugin_list(GVC_t *gvc, const char *kind, int *count);
void eg_free_plugin_list(char **list, int count);

#endif
