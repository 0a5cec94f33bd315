/*
 * The floor for the render benchmark: a small C program making the same Graphviz calls as
 * EntityGraphviz's renderer (same id discipline, attributes, clusters, nodes, edges, layout and
 * render), replayed from the plan the renderer exported (RenderPlanExport, one record per line).
 *
 *   render_baseline PLAN.tsv FORMAT ITERATIONS   → prints the median milliseconds per render
 *
 * Parsing happens once, outside the timed loop; each iteration builds, lays out, renders and frees.
 */
#include "shim.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct { char **fields; int count; } record;
static record *records; static int record_count;

static void load(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) { perror(path); exit(1); }
    fseek(f, 0, SEEK_END); long n = ftell(f); rewind(f);
    char *text = malloc(n + 1);
    if (fread(text, 1, n, f) != (size_t)n) { perror("read"); exit(1); }
    text[n] = 0; fclose(f);
    int lines = 0; for (long i = 0; i < n; i++) if (text[i] == '\n') lines++;
    records = calloc(lines + 1, sizeof *records);
    char *line = text;
    while (*line) {
        char *end = strchr(line, '\n'); if (end) *end = 0;
        record r = { calloc(strlen(line) / 2 + 4, sizeof(char *)), 0 };
        char *field = line;
        for (;;) { char *tab = strchr(field, '\t'); r.fields[r.count++] = field; if (!tab) break; *tab = 0; field = tab + 1; }
        records[record_count++] = r;
        if (!end) break; line = end + 1;
    }
}

static int is(record *r, const char *tag) { return strcmp(r->fields[0], tag) == 0; }

/* Declares every attribute name used for one object kind (default "" or the default record's value). */
static void declare(Agraph_t *g, int kind, const char *tag, int first, const char *defaults_tag) {
    for (int i = 0; i < record_count; i++) {
        record *r = &records[i];
        if (is(r, defaults_tag)) for (int k = 1; k + 1 < r->count; k += 2) eg_declare(g, kind, r->fields[k], r->fields[k + 1]);
    }
    for (int i = 0; i < record_count; i++) {
        record *r = &records[i];
        if (!is(r, tag)) continue;
        for (int k = first; k + 1 < r->count; k += 2)
            if (!agattr(g, kind, r->fields[k], NULL)) eg_declare(g, kind, r->fields[k], "");
    }
}

static void set_all(void *obj, Agraph_t *g, int kind, record *r, int first) {
    for (int k = first; k + 1 < r->count; k += 2) eg_set(obj, agattr(g, kind, r->fields[k], NULL), r->fields[k + 1]);
}

static const char *engine = "dot"; static long seed = 1;

static size_t render_once(GVC_t *gvc, const char *format) {
    Agraph_t *g = eg_open("entitygraph", eg_directed());
    declare(g, AGRAPH, "G", 1, "-");
    declare(g, AGRAPH, "C", 2, "-");
    declare(g, AGNODE, "N", 3, "ND");
    declare(g, AGEDGE, "E", 5, "ED");
    Agraph_t *clusters[4096]; int cluster_count = 0;
    Agnode_t **nodes = calloc(record_count, sizeof *nodes);
    for (int i = 0; i < record_count; i++) {
        record *r = &records[i];
        if (is(r, "G")) set_all(g, g, AGRAPH, r, 1);
        else if (is(r, "C")) {
            Agraph_t *sub = eg_subgraph(g, r->fields[1]);
            set_all(sub, g, AGRAPH, r, 2);
            clusters[cluster_count++] = sub;
        } else if (is(r, "N")) {
            int c = atoi(r->fields[2]);
            nodes[i] = eg_node(c >= 0 ? clusters[c] : g, r->fields[1]);
            set_all(nodes[i], g, AGNODE, r, 3);
        }
    }
    Agsym_t *rank = NULL;
    for (int i = 0; i < record_count; i++) {
        record *r = &records[i];
        if (is(r, "L")) {
            if (!rank) rank = eg_declare(g, AGRAPH, "rank", "");
            char name[64]; snprintf(name, sizeof name, "legend_column_%s", r->fields[2]);
            Agraph_t *group = eg_subgraph(clusters[atoi(r->fields[1])], name);
            eg_set(group, rank, "same");
            for (int k = 3; k < r->count; k++) agsubnode(group, eg_find_node(g, r->fields[k]), 1);
        } else if (is(r, "E")) {
            int c = atoi(r->fields[4]);
            Agedge_t *e = eg_edge(c >= 0 ? clusters[c] : g, eg_find_node(g, r->fields[1]), eg_find_node(g, r->fields[2]), r->fields[3]);
            set_all(e, g, AGEDGE, r, 5);
        }
    }
    srand48(seed); srand((unsigned)seed); eg_reset_layout_state();
    if (gvLayout(gvc, g, engine) != 0) { fprintf(stderr, "layout failed\n"); exit(1); }
    char *data = NULL; size_t length = 0;
    if (eg_render_data(gvc, g, format, &data, &length) != 0) { fprintf(stderr, "render failed\n"); exit(1); }
    gvFreeRenderData(data);
    gvFreeLayout(gvc, g);
    agclose(g);
    free(nodes);
    return length;
}

static double now_ms(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec * 1e3 + t.tv_nsec / 1e6; }
static int compare(const void *a, const void *b) { double x = *(const double *)a, y = *(const double *)b; return (x > y) - (x < y); }

int main(int argc, char **argv) {
    if (argc < 4) { fprintf(stderr, "usage: %s PLAN.tsv FORMAT ITERATIONS\n", argv[0]); return 2; }
    load(argv[1]);
    for (int i = 0; i < record_count; i++) {
        if (is(&records[i], "ENGINE")) engine = records[i].fields[1];
        if (is(&records[i], "SEED")) seed = atol(records[i].fields[1]);
    }
    int iterations = atoi(argv[3]);
    GVC_t *gvc = gvContext();
    render_once(gvc, argv[2]); /* warm-up: plugin loading, font cache */
    double *samples = calloc(iterations, sizeof *samples);
    size_t bytes = 0;
    for (int i = 0; i < iterations; i++) { double t = now_ms(); bytes = render_once(gvc, argv[2]); samples[i] = now_ms() - t; }
    qsort(samples, iterations, sizeof *samples, compare);
    printf("%.4f %zu\n", samples[iterations / 2], bytes);
    return 0;
}
