/*
 * The chain-of-trust picture as Graphviz text (`show --graph FILE.dot`): one cluster per zone,
 * root first, the nodes and edges of graph.c, colours by validity. Names come from the network,
 * so every string is written inside double quotes with quote, backslash, control and non-ASCII
 * bytes escaped (the latter as DNS presentation \DDD), and nothing else is ever unquoted.
 */
#include "results/internal.h"

#include <string.h>

static const char *const color[GRAPH_STATE_COUNT] = {"#0a7d32", "#555555", "#c62828", "#b26a00"};
static const char *const fill[GRAPH_STATE_COUNT] = {"#e3f5e8", "#f2f2f2", "#fde7e7", "#fff3e0"};

/* s inside a DOT double-quoted string. */
static void dot_text(results_buf_t *b, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; p && *p; p++) {
        if (*p == '"' || *p == '\\')
            results_buf_printf(b, "\\%c", *p);
        else if (*p < 0x20 || *p >= 0x7f)
            results_buf_printf(b, "\\\\%03u", *p); /* a literal backslash, then the byte's value */
        else
            results_buf_byte(b, *p);
    }
}

static void dot_quoted(results_buf_t *b, const char *s)
{
    results_buf_byte(b, '"');
    dot_text(b, s);
    results_buf_byte(b, '"');
}

static const char *shape(graph_node_kind_t k)
{
    switch (k) {
    case GRAPH_NODE_DNSKEY:
    case GRAPH_NODE_MISSING:
    case GRAPH_NODE_KEYS:
        return "ellipse";
    case GRAPH_NODE_DS:
        return "box";
    default:
        return "rectangle";
    }
}

void results_graph_write_dot(const graph_t *g, results_buf_t *b)
{
    results_buf_printf(b, "digraph \"chain of trust\" {\n  label=");
    dot_quoted(b, g->title);
    results_buf_printf(b, ";\n  labelloc=t;\n  fontname=\"sans-serif\";\n  compound=true;\n"
                          "  node [fontname=\"sans-serif\", fontsize=11, style=filled];\n"
                          "  edge [fontname=\"sans-serif\", fontsize=9];\n");
    for (size_t z = 0; z < g->n_zones; z++) {
        const graph_zone_t *zone = &g->zones[z];
        results_buf_printf(b, "  subgraph cluster_%zu {\n    label=", z);
        dot_quoted(b, zone->name);
        results_buf_printf(b, ";\n    color=\"%s\";\n    penwidth=2;\n", color[zone->state]);
        for (size_t i = 0; i < g->n_nodes; i++) {
            const graph_node_t *n = &g->nodes[i];
            if (n->zone != z)
                continue;
            results_buf_printf(b, "    n%zu [shape=%s, color=\"%s\", fillcolor=\"%s\"%s, label=\"",
                               i, shape(n->kind), color[n->state], fill[n->state],
                               n->kind == GRAPH_NODE_MISSING ? ", style=\"filled,dashed\"" : "");
            dot_text(b, n->title);
            if (n->sub[0]) {
                results_buf_printf(b, "\\n");
                dot_text(b, n->sub);
            }
            results_buf_printf(b, "\"];\n");
        }
        results_buf_printf(b, "  }\n");
    }
    for (size_t i = 0; i < g->n_edges; i++) {
        const graph_edge_t *e = &g->edges[i];
        results_buf_printf(b, "  n%zu -> n%zu [color=\"%s\"", e->from, e->to, color[e->state]);
        if (e->failing)
            results_buf_printf(b, ", penwidth=2.5");
        if (e->dashed || e->kind == GRAPH_EDGE_DELEGATES)
            results_buf_printf(b, ", style=dashed");
        if (e->label[0]) {
            results_buf_printf(b, ", %slabel=", e->failing ? "fontcolor=\"#c62828\", " : "");
            dot_quoted(b, e->label);
        }
        results_buf_printf(b, "];\n");
    }
    if (g->n_caption) {
        /* The reasons, as a note under the picture (left-justified lines: \l). */
        results_buf_printf(b,
                           "  reasons [shape=note, style=filled, fillcolor=\"#ffffff\", label=\"");
        for (size_t i = 0; i < g->n_caption; i++) {
            dot_text(b, g->caption[i]);
            results_buf_printf(b, "\\l");
        }
        results_buf_printf(b, "\"];\n");
    }
    results_buf_printf(b, "}\n");
}
