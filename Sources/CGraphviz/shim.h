// The C surface EntityGraphviz needs from Graphviz, and nothing more.
//
// Swift cannot read mutable C globals (Agdirected, ...) in Swift 6 mode and cannot call macros
// (agtail, aghead, agfindnode), and Graphviz's signatures differ across versions (char * vs
// const char *, unsigned int vs size_t lengths, gvPluginList's arity). Every difference is absorbed
// here behind the version macros, so the Swift side sees one stable API: eg_* functions taking
// const char * and size_t.
#ifndef ENTITYGRAPH_CGRAPHVIZ_SHIM_H
#define ENTITYGRAPH_CGRAPHVIZ_SHIM_H

#include <stddef.h>
#include <stdlib.h>
#include <graphviz/graphviz_version.h>
#include <graphviz/gvc.h>
#include <graphviz/cgraph.h>

// Graphviz 3+ headers define GRAPHVIZ_VERSION_MAJOR; 2.x headers (Debian 12 ships 2.42) do not.
#if defined(GRAPHVIZ_VERSION_MAJOR)
#define EG_GRAPHVIZ_MODERN 1
#else
#define EG_GRAPHVIZ_MODERN 0
#endif

// Exported by libgvc but absent from the installed headers: drops the context's job list. Called
// after a failed render so a stale job (with a dangling format) cannot make the next render also
// write to stdout.
extern void gvjobs_delete(GVC_t *gvc);

static inline const char *eg_graphviz_version(void) { return PACKAGE_VERSION; }

// Graph descriptors (mutable globals in cgraph).
static inline Agdesc_t eg_directed(void) { return Agdirected; }
static inline Agdesc_t eg_strict_directed(void) { return Agstrictdirected; }
static inline Agdesc_t eg_undirected(void) { return Agundirected; }
static inline Agdesc_t eg_strict_undirected(void) { return Agstrictundirected; }

// Macros.
static inline Agnode_t *eg_tail(Agedge_t *e) { return agtail(e); }
static inline Agnode_t *eg_head(Agedge_t *e) { return aghead(e); }

// String-taking calls, as const char * on every version. cgraph copies the strings it keeps.
static inline Agraph_t *eg_open(const char *name, Agdesc_t desc) { return agopen((char *)name, desc, NULL); }
static inline Agraph_t *eg_subgraph(Agraph_t *g, const char *name) { return agsubg(g, (char *)name, 1); }
static inline Agnode_t *eg_node(Agraph_t *g, const char *name) { return agnode(g, (char *)name, 1); }
static inline Agnode_t *eg_find_node(Agraph_t *g, const char *name) { return agnode(g, (char *)name, 0); }
static inline Agedge_t *eg_edge(Agraph_t *g, Agnode_t *t, Agnode_t *h, const char *name) {
    return agedge(g, t, h, (char *)name, 1);
}
static inline Agsym_t *eg_declare(Agraph_t *g, int kind, const char *name, const char *def) {
    return agattr(g, kind, (char *)name, (char *)def);
}
static inline int eg_set(void *obj, Agsym_t *sym, const char *value) { return agxset(obj, sym, (char *)value); }
static inline const char *eg_get(void *obj, const char *name) { return agget(obj, (char *)name); }

// Rendering, with the length as size_t on every version.
static inline int eg_render_data(GVC_t *gvc, Agraph_t *g, const char *format, char **result, size_t *length) {
#if EG_GRAPHVIZ_MODERN
    return gvRenderData(gvc, g, format, result, length);
#else
    unsigned int len = 0;
    int rc = gvRenderData(gvc, g, format, result, &len);
    *length = (size_t)len;
    return rc;
#endif
}

// The plugin names of one kind ("layout", "render", "device", ...); free with eg_free_plugin_list.
static inline char **eg_plugin_list(GVC_t *gvc, const char *kind, int *count) {
#if EG_GRAPHVIZ_MODERN
    return gvPluginList(gvc, kind, count);
#else
    return gvPluginList(gvc, kind, count, NULL);
#endif
}

static inline void eg_free_plugin_list(char **list, int count) {
    if (!list) return;
    for (int i = 0; i < count; i++) free(list[i]);
    free(list);
}

#endif
