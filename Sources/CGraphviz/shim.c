// Definitions for include/shim.h, and the C state they keep. See the header for what each does.
#include "shim.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

// Graphviz 3+ headers define GRAPHVIZ_VERSION_MAJOR; 2.x headers (Debian 12 ships 2.42) do not.
#if defined(GRAPHVIZ_VERSION_MAJOR)
#define EG_GRAPHVIZ_MODERN 1
#else
#define EG_GRAPHVIZ_MODERN 0
#endif

const char *eg_graphviz_version(void) { return PACKAGE_VERSION; }
int eg_graphviz_is_legacy(void) { return !EG_GRAPHVIZ_MODERN; }

// Layout state that Graphviz 2.x keeps in process-wide globals between layouts. `EdgeLabelsDone` is
// left at 1 by dot and circo and makes a later fdp layout skip its own edge-label placement, so the
// picture would depend on what was laid out before. Reset before every layout.
#if !EG_GRAPHVIZ_MODERN
extern int EdgeLabelsDone;
#endif
void eg_reset_layout_state(void) {
#if !EG_GRAPHVIZ_MODERN
    EdgeLabelsDone = 0;
#endif
}

// Graph descriptors (mutable globals in cgraph).
Agdesc_t eg_directed(void) { return Agdirected; }
Agdesc_t eg_strict_directed(void) { return Agstrictdirected; }
Agdesc_t eg_undirected(void) { return Agundirected; }
Agdesc_t eg_strict_undirected(void) { return Agstrictundirected; }

// Macros.
Agnode_t *eg_tail(Agedge_t *e) { return agtail(e); }
Agnode_t *eg_head(Agedge_t *e) { return aghead(e); }

// ---------------------------------------------------------------------------------------------
// Deterministic object ids. cgraph's default id discipline uses the address of a name's interned
// string as the object's id, and keeps subgraphs ordered by id: cluster order (and with it DOT
// output, SVG drawing order and fdp's layout) then depends on where malloc put the strings. This
// discipline hands out ids in creation order instead, so the same graph gives the same bytes.
// Named ids are even (2, 4, ...), anonymous ones odd, as cgraph expects. Written against the 2.x
// discipline signatures; newer Graphviz uses its default discipline (see eg_open).
#if !EG_GRAPHVIZ_MODERN
typedef struct eg_id_entry { char *name; int type; IDTYPE id; struct eg_id_entry *next; } eg_id_entry;
typedef struct { Agraph_t *graph; eg_id_entry **buckets; size_t bucket_count; char **names; size_t name_count, name_cap; IDTYPE anonymous; } eg_id_state;

static int eg_id_kind(int objtype) { return objtype == AGINEDGE ? AGOUTEDGE : objtype; }
static size_t eg_id_hash(const char *s, int type) {
    size_t h = 1469598103934665603ULL ^ (size_t)type;
    for (; *s; s++) { h ^= (unsigned char)*s; h *= 1099511628211ULL; }
    return h;
}
// The state of the graph most recently opened with this discipline and not yet closed. Graphs are
// opened and closed one at a time under EntityGraphviz's lock, so one slot is enough.
static eg_id_state *eg_id_open_state = NULL;

static void *eg_id_open(Agraph_t *g, Agdisc_t *disc) {
    (void)disc;
    eg_id_state *state = calloc(1, sizeof *state);
    if (!state) return NULL;
    eg_id_open_state = state;
    state->graph = g;
    state->bucket_count = 1024;
    state->buckets = calloc(state->bucket_count, sizeof *state->buckets);
    if (!state->buckets) { free(state); return NULL; }
    state->anonymous = 1;
    return state;
}
static int eg_id_grow(eg_id_state *state) {
    size_t count = state->bucket_count * 4;
    eg_id_entry **buckets = calloc(count, sizeof *buckets);
    if (!buckets) return 0;
    for (size_t i = 0; i < state->bucket_count; i++) {
        eg_id_entry *e = state->buckets[i];
        while (e) { eg_id_entry *next = e->next; size_t b = eg_id_hash(e->name, e->type) % count; e->next = buckets[b]; buckets[b] = e; e = next; }
    }
    free(state->buckets);
    state->buckets = buckets;
    state->bucket_count = count;
    return 1;
}
static long eg_id_map(void *closure, int objtype, char *str, IDTYPE *id, int createflag) {
    eg_id_state *state = closure;
    if (!str) { *id = state->anonymous; state->anonymous += 2; return 1; }
    int type = eg_id_kind(objtype);
    size_t bucket = eg_id_hash(str, type) % state->bucket_count;
    for (eg_id_entry *e = state->buckets[bucket]; e; e = e->next) {
        if (e->type == type && strcmp(e->name, str) == 0) { *id = e->id; return 1; }
    }
    if (!createflag) return 0;
    if (state->name_count == state->name_cap) {
        size_t cap = state->name_cap ? state->name_cap * 2 : 256;
        char **names = realloc(state->names, cap * sizeof *names);
        if (!names) return 0;
        state->names = names;
        state->name_cap = cap;
    }
    if (state->name_count > state->bucket_count * 2 && !eg_id_grow(state)) return 0;
    bucket = eg_id_hash(str, type) % state->bucket_count;
    // Names must be cgraph's own reference-counted strings: writers look at the header in front of
    // them (e.g. to tell HTML-like strings apart). They belong to the graph's string dictionary,
    // which agclose frees.
    eg_id_entry *entry = malloc(sizeof *entry);
    char *copy = entry ? agstrdup(state->graph, str) : NULL;
    if (!entry || !copy) { free(entry); return 0; }
    entry->name = copy;
    entry->type = type;
    entry->id = (IDTYPE)(state->name_count + 1) * 2;
    entry->next = state->buckets[bucket];
    state->buckets[bucket] = entry;
    state->names[state->name_count++] = copy;
    *id = entry->id;
    return 1;
}
static long eg_id_alloc(void *closure, int objtype, IDTYPE id) { (void)closure; (void)objtype; (void)id; return 0; }
static void eg_id_free(void *closure, int objtype, IDTYPE id) { (void)closure; (void)objtype; (void)id; }
static char *eg_id_print(void *closure, int objtype, IDTYPE id) {
    eg_id_state *state = closure;
    (void)objtype;
    if (id % 2 != 0 || id == 0) return NULL;
    size_t index = (size_t)(id / 2) - 1;
    return index < state->name_count ? state->names[index] : NULL;
}
static void eg_id_close(void *closure) {
    eg_id_state *state = closure;
    if (!state) return;
    if (state == eg_id_open_state) eg_id_open_state = NULL;
    for (size_t i = 0; i < state->bucket_count; i++) {
        eg_id_entry *e = state->buckets[i];
        // Give back the references taken with agstrdup, as cgraph's own discipline does when objects
        // go, so that agclose can close the string dictionary (agstrclose) and free the graph.
        while (e) { eg_id_entry *next = e->next; agstrfree(state->graph, e->name); free(e); e = next; }
    }
    free(state->buckets);
    free(state->names);
    free(state);
}
static void eg_id_register(void *closure, int objtype, void *obj) { (void)closure; (void)objtype; (void)obj; }
static Agiddisc_t eg_id_discipline = { eg_id_open, eg_id_map, eg_id_alloc, eg_id_free, eg_id_print, eg_id_close, eg_id_register };
#endif

// agclose, plus cleanup for when it gives up half-way: after some clustered dot layouts, Graphviz
// 2.42's agclose fails before it reaches the id discipline's close, and the discipline's state
// would be lost with the rest of the graph. Returns agclose's result.
int eg_close(Agraph_t *g) {
    int status = agclose(g);
#if !EG_GRAPHVIZ_MODERN
    if (eg_id_open_state) {
        eg_id_state *state = eg_id_open_state;
        eg_id_open_state = NULL;
        for (size_t i = 0; i < state->bucket_count; i++) {
            eg_id_entry *e = state->buckets[i];
            while (e) { eg_id_entry *next = e->next; free(e); e = next; }
        }
        free(state->buckets);
        free(state->names);
        free(state);
    }
#endif
    return status;
}

// String-taking calls, as const char * on every version. cgraph copies the strings it keeps.
Agraph_t *eg_open(const char *name, Agdesc_t desc) {
#if !EG_GRAPHVIZ_MODERN
    static Agdisc_t discipline;
    discipline.mem = &AgMemDisc;
    discipline.id = &eg_id_discipline;
    discipline.io = &AgIoDisc;
    return agopen((char *)name, desc, &discipline);
#else
    return agopen((char *)name, desc, NULL);
#endif
}
Agraph_t *eg_subgraph(Agraph_t *g, const char *name) { return agsubg(g, (char *)name, 1); }
Agnode_t *eg_node(Agraph_t *g, const char *name) { return agnode(g, (char *)name, 1); }
Agnode_t *eg_find_node(Agraph_t *g, const char *name) { return agnode(g, (char *)name, 0); }
Agedge_t *eg_edge(Agraph_t *g, Agnode_t *t, Agnode_t *h, const char *name) {
    return agedge(g, t, h, (char *)name, 1);
}
Agsym_t *eg_declare(Agraph_t *g, int kind, const char *name, const char *def) {
    return agattr(g, kind, (char *)name, (char *)def);
}
int eg_set(void *obj, Agsym_t *sym, const char *value) { return agxset(obj, sym, (char *)value); }
const char *eg_get(void *obj, const char *name) { return agget(obj, (char *)name); }

// ---------------------------------------------------------------------------------------------
// Reading DOT (EntityGraphviz/Interop/DOTImport*.swift).
//
// agmemread hands the lexer one line per read from a reader that lives only for that call, so
// everything on the lines after the first graph is silently dropped: a second graph, or trailing
// garbage that `nop`/`dot` reject, simply vanish. These wrappers give the parser a reader that stays
// alive across agread calls (as nop does with its FILE *) and hands out the whole input in
// buffer-sized chunks, so the caller reads every graph and sees every syntax error. The parser, its
// grammar and its lexer are Graphviz's own; only the input channel is ours.
struct eg_dot_reader {
    const char *data;
    size_t length;
    size_t offset;
    Agiodisc_t io;
    Agdisc_t discipline;
};

static int eg_dot_reader_read(void *channel, char *buffer, int size) {
    eg_dot_reader *reader = channel;
    if (size <= 0 || reader->offset >= reader->length) return 0;
    size_t count = reader->length - reader->offset;
    if (count > (size_t)size) count = (size_t)size;
    memcpy(buffer, reader->data + reader->offset, count);
    reader->offset += count;
    return (int)count;
}

// The discipline is cgraph's default one (memory, ids) with our input channel.
eg_dot_reader *eg_dot_reader_new(const char *data, size_t length) {
    eg_dot_reader *reader = calloc(1, sizeof *reader);
    if (!reader) return NULL;
    reader->data = data;
    reader->length = length;
    reader->io = AgIoDisc;
    reader->io.afread = eg_dot_reader_read;
    reader->discipline = AgDefaultDisc;
    reader->discipline.io = &reader->io;
    return reader;
}

void eg_dot_reader_free(eg_dot_reader *reader) { free(reader); }

Agraph_t *eg_dot_reader_next(eg_dot_reader *reader) { return agread(reader, &reader->discipline); }

// The leftover-input trap: after a parse the lexer may still hold unread text, which the *next* parse
// anywhere in the process would return. Reads (agmemread("")) and closes graphs until none is left;
// returns how many it closed. Errors it provokes are the caller's to reset.
int eg_drain_parser(void) {
    int count = 0;
    Agraph_t *graph;
    while ((graph = agmemread("")) != NULL) {
        agclose(graph);
        count++;
    }
    return count;
}

// Creation order of a graph, node, edge or subgraph within its root graph (AGSEQ, a bit-field).
unsigned long eg_sequence(void *object) { return (unsigned long)AGSEQ(object); }

// The attribute symbol `name` visible from `g` for objects of `kind` (AGRAPH, AGNODE, AGEDGE), without
// declaring it; NULL when undeclared.
Agsym_t *eg_find_attribute(Agraph_t *g, int kind, const char *name) {
    return agattr(g, kind, (char *)name, NULL);
}

// True when `value` (a string cgraph handed out) was created as an HTML-like string (`<...>` in DOT).
int eg_is_html_string(const char *value) { return value && aghtmlstr((char *)value) ? 1 : 0; }

// Rendering, with the length as size_t on every version.
int eg_render_data(GVC_t *gvc, Agraph_t *g, const char *format, char **result, size_t *length) {
#if EG_GRAPHVIZ_MODERN
    return gvRenderData(gvc, g, format, result, length);
#else
    unsigned int len = 0;
    int rc = gvRenderData(gvc, g, format, result, &len);
    *length = (size_t)len;
    return rc;
#endif
}

// The graph as DOT text through cgraph's own writer (agwrite), without any layout; free with free().
int eg_write_dot(Agraph_t *g, char **result, size_t *length) {
    *result = NULL;
    *length = 0;
    FILE *stream = open_memstream(result, length);
    if (!stream) return -1;
    int status = agwrite(g, stream);
    if (fclose(stream) != 0) status = -1;
    return status;
}

// The plugin names of one kind ("layout", "render", "device", ...); free with eg_free_plugin_list.
char **eg_plugin_list(GVC_t *gvc, const char *kind, int *count) {
#if EG_GRAPHVIZ_MODERN
    return gvPluginList(gvc, kind, count);
#else
    return gvPluginList(gvc, kind, count, NULL);
#endif
}

void eg_free_plugin_list(char **list, int count) {
    if (!list) return;
    for (int i = 0; i < count; i++) free(list[i]);
    free(list);
}

