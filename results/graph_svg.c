/*
 * The chain-of-trust picture as SVG, laid out here (no Graphviz at run time): the zones are
 * boxes stacked root first; inside a box the nodes sit in rows (the parent: its keys, then its
 * DS; the domain: KSKs, ZSKs, then its data), wrapped every GRAPH_SVG_PER_LINE nodes. Edges run
 * from the bottom of a node to the top of one further down, as an arc above the row between
 * nodes of one row, and as a loop on the right for a self-signature. Only failing edges and the
 * delegations carry a label, so the failure is what the eye finds. Every text is escaped for
 * XML; the document has data-* attributes (zones, nodes, edges) for tests and scripts.
 */
#include "results/internal.h"

#include <stdlib.h>
#include <string.h>

enum {
    NODE_W = 172,
    NODE_H = 44,
    COL_GAP = 52, /* room for a self-loop on the right of a node */
    ROW_GAP = 70, /* room for edge labels between rows */
    ZONE_PAD = 24,
    ZONE_TOP = 40, /* the zone's name */
    ZONE_BOTTOM = 24,
    ZONE_GAP = 56,
    MARGIN = 20,
    TITLE_H = 44,
    CAPTION_LINE = 16,
    GRAPH_SVG_PER_LINE = 5,
};

static const char *const color[GRAPH_STATE_COUNT] = {"#0a7d32", "#555555", "#c62828", "#b26a00"};
static const char *const fill[GRAPH_STATE_COUNT] = {"#e3f5e8", "#f5f5f5", "#fde7e7", "#fff3e0"};

/* s as XML character data or attribute value. Control bytes and bytes past ASCII (a name from
 * the network is not necessarily UTF-8) become DNS presentation \DDD. */
static void xml_text(results_buf_t *b, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; p && *p; p++) {
        const char *entity = results_xml_entity(*p);
        if (entity)
            results_buf_str(b, entity);
        else if (*p < 0x20 || *p >= 0x7f)
            results_buf_printf(b, "\\%03u", *p);
        else
            results_buf_byte(b, *p);
    }
}

typedef struct pos {
    int x, y; /* top left */
    int out_n, out_i, in_n, in_i;
} pos_t;

typedef struct zone_box {
    int y, h;
} zone_box_t;

/* Approximate text width in pixels for sizing the canvas (sans-serif at size px). */
static int text_w(const char *s, int px)
{
    return (int)(strlen(s) * (size_t)px * 6 / 10);
}

/* How much of s fits a line of max characters: all of it, or up to its last space that fits
 * (a hard cut when there is none). Never 0 for a non-empty s. */
static size_t wrap_at(const char *s, size_t max)
{
    size_t n = strlen(s);
    if (max < 20)
        max = 20;
    if (n <= max)
        return n;
    for (size_t i = max; i > max / 2; i--)
        if (s[i] == ' ')
            return i;
    return max;
}

/* A node in its row, in drawing order: by its order key (key tags, so that DS and keys line
 * up), then as built. */
typedef struct slot {
    uint32_t order;
    size_t id;
} slot_t;

static int slot_cmp(const void *a, const void *b)
{
    const slot_t *x = a, *y = b;
    if (x->order != y->order)
        return x->order < y->order ? -1 : 1;
    return x->id < y->id ? -1 : x->id > y->id;
}

/* Places the nodes of one row of zone z from y on, GRAPH_SVG_PER_LINE a line; returns the y
 * after it (unchanged for an empty row). */
static int place_row(const graph_t *g, size_t z, unsigned r, slot_t *slots, int inner, int y,
                     bool *first_line, pos_t *pos)
{
    size_t n = 0;
    for (size_t i = 0; i < g->n_nodes; i++)
        if (g->nodes[i].zone == z && g->nodes[i].row == r)
            slots[n++] = (slot_t){g->nodes[i].order, i};
    qsort(slots, n, sizeof *slots, slot_cmp);
    for (size_t at = 0; at < n; at += GRAPH_SVG_PER_LINE) {
        int k = (int)(n - at < GRAPH_SVG_PER_LINE ? n - at : GRAPH_SVG_PER_LINE);
        if (!*first_line)
            y += ROW_GAP;
        *first_line = false;
        int line_w = k * NODE_W + (k - 1) * COL_GAP;
        int x = MARGIN + ZONE_PAD + (inner - line_w) / 2;
        for (int j = 0; j < k; j++) {
            pos[slots[at + (size_t)j].id].x = x + j * (NODE_W + COL_GAP);
            pos[slots[at + (size_t)j].id].y = y;
        }
        y += NODE_H;
    }
    return y;
}

/* Places every node; returns the canvas width and fills boxes and the height. */
static int layout(const graph_t *g, pos_t *pos, slot_t *slots, zone_box_t *boxes, int *height)
{
    int inner = NODE_W;
    /* Widest line of any row decides the width of every box. */
    for (size_t z = 0; z < g->n_zones; z++)
        for (unsigned r = 0; r < g->zones[z].rows; r++) {
            int n = 0;
            for (size_t i = 0; i < g->n_nodes; i++)
                n += g->nodes[i].zone == z && g->nodes[i].row == r;
            if (n > GRAPH_SVG_PER_LINE)
                n = GRAPH_SVG_PER_LINE;
            if (n && n * NODE_W + (n - 1) * COL_GAP > inner)
                inner = n * NODE_W + (n - 1) * COL_GAP;
        }
    int width = inner + 2 * ZONE_PAD + 2 * MARGIN;
    int y = MARGIN + TITLE_H;
    for (size_t z = 0; z < g->n_zones; z++) {
        boxes[z].y = y;
        y += ZONE_TOP;
        bool first_line = true;
        for (unsigned r = 0; r < g->zones[z].rows; r++)
            y = place_row(g, z, r, slots, inner, y, &first_line, pos);
        y += ZONE_BOTTOM;
        boxes[z].h = y - boxes[z].y;
        y += ZONE_GAP;
    }
    y -= ZONE_GAP;
    *height = y;
    return width;
}

static void put_marker(results_buf_t *b, graph_state_t s)
{
    results_buf_printf(
        b,
        "<marker id=\"dnssweep-arrow-%s\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" "
        "markerWidth=\"10\" markerHeight=\"10\" markerUnits=\"userSpaceOnUse\" "
        "orient=\"auto-start-reverse\">"
        "<path d=\"M0,0 L10,5 L0,10 z\" fill=\"%s\"/></marker>\n",
        results_graph_state_name(s), color[s]);
}

static const char *kind_name(graph_node_kind_t k)
{
    static const char *const names[] = {"zone-keys", "dnskey", "ds", "rrset", "missing"};
    return names[k];
}

static const char *edge_kind_name(graph_edge_kind_t k)
{
    static const char *const names[] = {"signs", "digest", "delegates"};
    return names[k];
}

static void put_zone(results_buf_t *b, const graph_zone_t *z, const zone_box_t *box, int width)
{
    results_buf_printf(b, "<g class=\"zone\" data-zone=\"");
    xml_text(b, z->name);
    results_buf_printf(b,
                       "\" data-state=\"%s\"><rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" "
                       "rx=\"10\" fill=\"#fcfcfc\" stroke=\"%s\" stroke-width=\"2\"/>"
                       "<text x=\"%d\" y=\"%d\" font-size=\"15\" font-weight=\"bold\" fill=\"%s\">",
                       results_graph_state_name(z->state), MARGIN, box->y, width - 2 * MARGIN,
                       box->h, color[z->state], MARGIN + 12, box->y + 24, color[z->state]);
    xml_text(b, strcmp(z->name, ".") == 0 ? ". (root)" : z->name);
    results_buf_printf(
        b, "<tspan font-weight=\"normal\" font-size=\"12\"> zone, %s</tspan></text></g>\n",
        results_graph_state_name(z->state));
}

/* The font size (at most px) at which s fits inside a node. */
static int fit_px(const char *s, int px)
{
    while (px > 8 && text_w(s, px) > NODE_W - 16)
        px--;
    return px;
}

static void put_node(results_buf_t *b, const graph_t *g, size_t i, const pos_t *p)
{
    const graph_node_t *n = &g->nodes[i];
    bool round =
        n->kind == GRAPH_NODE_DNSKEY || n->kind == GRAPH_NODE_MISSING || n->kind == GRAPH_NODE_KEYS;
    results_buf_printf(
        b, "<g class=\"node\" id=\"n%zu\" data-kind=\"%s\" data-role=\"%s\" data-state=\"%s\"", i,
        kind_name(n->kind), n->role ? n->role : "", results_graph_state_name(n->state));
    if (n->kind == GRAPH_NODE_DNSKEY || n->kind == GRAPH_NODE_DS || n->kind == GRAPH_NODE_MISSING)
        results_buf_printf(b, " data-tag=\"%u\" data-alg=\"%u\"", n->key_tag, n->algorithm);
    results_buf_printf(b, " data-zone=\"");
    xml_text(b, g->zones[n->zone].name);
    results_buf_printf(
        b,
        "\"><rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" rx=\"%d\" fill=\"%s\" "
        "stroke=\"%s\" stroke-width=\"%s\"%s/>",
        p->x, p->y, NODE_W, NODE_H, round ? NODE_H / 2 : 4, fill[n->state], color[n->state],
        n->state == GRAPH_BOGUS ? "2.5" : "1.5",
        n->kind == GRAPH_NODE_MISSING ? " stroke-dasharray=\"6 4\"" : "");
    int cx = p->x + NODE_W / 2;
    results_buf_printf(b,
                       "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" font-size=\"%d\" "
                       "font-weight=\"bold\" fill=\"#222\">",
                       cx, p->y + (n->sub[0] ? 19 : 27), fit_px(n->title, 13));
    xml_text(b, n->title);
    results_buf_printf(b, "</text>");
    if (n->sub[0]) {
        results_buf_printf(b,
                           "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" font-size=\"%d\" "
                           "fill=\"#444\">",
                           cx, p->y + 35, fit_px(n->sub, 11));
        xml_text(b, n->sub);
        results_buf_printf(b, "</text>");
    }
    results_buf_printf(b, "</g>\n");
}

/* Where along a node's bottom (out) or top (in) edge k of n attaches. */
static int spread(int x, int k, int n)
{
    if (n <= 1)
        return x + NODE_W / 2;
    int usable = NODE_W - 2 * NODE_H / 2;
    return x + NODE_H / 2 + usable * k / (n - 1);
}

static void put_label(results_buf_t *b, int x, int y, const graph_edge_t *e, const char *anchor)
{
    results_buf_printf(b,
                       "<text x=\"%d\" y=\"%d\" text-anchor=\"%s\" font-size=\"11\" fill=\"%s\" "
                       "stroke=\"#ffffff\" stroke-width=\"4\" paint-order=\"stroke\"%s>",
                       x, y, anchor, color[e->state], e->failing ? " font-weight=\"bold\"" : "");
    xml_text(b, e->label);
    results_buf_printf(b, "</text>");
}

static void put_edge(results_buf_t *b, const graph_t *g, size_t i, pos_t *pos)
{
    const graph_edge_t *e = &g->edges[i];
    pos_t *from = &pos[e->from], *to = &pos[e->to];
    results_buf_printf(b,
                       "<g class=\"edge\" data-kind=\"%s\" data-from=\"n%zu\" data-to=\"n%zu\" "
                       "data-state=\"%s\" data-failing=\"%s\">",
                       edge_kind_name(e->kind), e->from, e->to, results_graph_state_name(e->state),
                       e->failing ? "true" : "false");
    char style[160];
    snprintf(
        style, sizeof style,
        "fill=\"none\" stroke=\"%s\" stroke-width=\"%s\"%s marker-end=\"url(#dnssweep-arrow-%s)\"",
        color[e->state], e->failing ? "2.5" : "1.4",
        e->dashed || e->kind == GRAPH_EDGE_DELEGATES ? " stroke-dasharray=\"7 4\"" : "",
        results_graph_state_name(e->state));
    bool label = e->label[0] && (e->failing || e->dashed || e->kind == GRAPH_EDGE_DELEGATES);
    if (e->from == e->to) {
        /* A loop on the right side of the node, its label under it. */
        int x = from->x + NODE_W, y = from->y + NODE_H / 2;
        results_buf_printf(b, "<path d=\"M%d,%d C%d,%d %d,%d %d,%d\" %s/>", x - 8, y - 14, x + 42,
                           y - 36, x + 42, y + 36, x - 2, y + 10, style);
        if (label)
            put_label(b, from->x + NODE_W, from->y + NODE_H + 16, e, "middle");
    } else if (to->y > from->y) {
        int x1 = spread(from->x, from->out_i++, from->out_n), y1 = from->y + NODE_H;
        int x2 = spread(to->x, to->in_i++, to->in_n), y2 = to->y;
        int dy = (y2 - y1) / 2;
        results_buf_printf(b, "<path d=\"M%d,%d C%d,%d %d,%d %d,%d\" %s/>", x1, y1, x1, y1 + dy, x2,
                           y2 - dy, x2, y2 - 2, style);
        if (label)
            put_label(b, (x1 + x2) / 2 + 6, (y1 + y2) / 2 + 4, e, "start");
    } else {
        /* Same line (or upwards): an arc over the top. */
        int x1 = from->x + NODE_W / 2, y1 = from->y;
        int x2 = to->x + NODE_W / 2 + (to->x > from->x ? -12 : 12), y2 = to->y;
        int lift = 30 + abs(x2 - x1) / 12;
        int top = (y1 < y2 ? y1 : y2) - lift;
        results_buf_printf(b, "<path d=\"M%d,%d C%d,%d %d,%d %d,%d\" %s/>", x1, y1, x1, top, x2,
                           top, x2, y2 - 2, style);
        if (label)
            put_label(b, (x1 + x2) / 2, top + 8, e, "middle");
    }
    results_buf_printf(b, "</g>\n");
}

static void put_legend(results_buf_t *b, int x, int y)
{
    results_buf_printf(b, "<g class=\"legend\" font-size=\"11\">");
    for (int s = 0; s < GRAPH_STATE_COUNT; s++) {
        int lx = x + s * 100;
        results_buf_printf(
            b,
            "<rect x=\"%d\" y=\"%d\" width=\"14\" height=\"14\" rx=\"3\" fill=\"%s\" "
            "stroke=\"%s\"/><text x=\"%d\" y=\"%d\" fill=\"#333\">%s</text>",
            lx, y - 11, fill[s], color[s], lx + 20, y,
            s == GRAPH_UNKNOWN ? "indeterminate, warning"
                               : results_graph_state_name((graph_state_t)s));
    }
    int lx = x + GRAPH_STATE_COUNT * 100 + 60;
    results_buf_printf(b,
                       "<path d=\"M%d,%d h34\" stroke=\"%s\" stroke-width=\"2.5\" "
                       "stroke-dasharray=\"7 4\"/><text x=\"%d\" y=\"%d\" fill=\"#333\">failing "
                       "(dashed: missing)</text></g>\n",
                       lx, y - 4, color[GRAPH_BOGUS], lx + 40, y);
}

void results_graph_write_svg(const graph_t *g, results_buf_t *b)
{
    pos_t *pos = calloc(g->n_nodes ? g->n_nodes : 1, sizeof *pos);
    slot_t *slots = calloc(g->n_nodes ? g->n_nodes : 1, sizeof *slots);
    if (!pos || !slots) {
        free(pos);
        free(slots);
        b->failed = true;
        return;
    }
    zone_box_t boxes[GRAPH_ABOVE_MAX + 2];
    int height = 0;
    int width = layout(g, pos, slots, boxes, &height);
    for (size_t i = 0; i < g->n_edges; i++) {
        const graph_edge_t *e = &g->edges[i];
        if (e->from != e->to && pos[e->to].y > pos[e->from].y) {
            pos[e->from].out_n++;
            pos[e->to].in_n++;
        }
    }
    int min_w = text_w(g->title, 16) + 2 * MARGIN;
    if (min_w < 760)
        min_w = 760;
    int canvas_w0 = width < min_w ? min_w : width;
    /* Caption lines wrap at the canvas width (12 px text is ~7 px a character). */
    size_t caption_chars = (size_t)(canvas_w0 - 2 * MARGIN) / 7;
    int lines = 0;
    for (size_t i = 0; i < g->n_caption; i++)
        for (const char *p = g->caption[i]; *p; p += strspn(p, " ")) {
            p += wrap_at(p, caption_chars);
            lines++;
        }
    if (width < min_w) {
        /* Centre the boxes' content on the wider canvas. */
        int shift = (min_w - width) / 2;
        for (size_t i = 0; i < g->n_nodes; i++)
            pos[i].x += shift;
    }
    int canvas_w = width < min_w ? min_w : width;
    int caption_y = height + 28;
    int total_h = caption_y + lines * CAPTION_LINE + 40;

    results_buf_printf(b,
                       "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"dnssweep-graph\" "
                       "width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
                       "font-family=\"DejaVu Sans, Verdana, sans-serif\" data-status=\"%s\" "
                       "data-domain=\"",
                       canvas_w, total_h, canvas_w, total_h, results_graph_state_name(g->state));
    xml_text(b, g->n_zones ? g->zones[g->n_zones - 1].name : "");
    results_buf_printf(b, "\" role=\"img\"><title>");
    xml_text(b, g->title);
    results_buf_printf(b, "</title>\n<defs>\n");
    for (int s = 0; s < GRAPH_STATE_COUNT; s++)
        put_marker(b, (graph_state_t)s);
    results_buf_printf(b, "</defs>\n<rect width=\"100%%\" height=\"100%%\" fill=\"#ffffff\"/>\n");
    results_buf_printf(b,
                       "<text x=\"%d\" y=\"%d\" font-size=\"16\" font-weight=\"bold\" fill=\"%s\">",
                       MARGIN, MARGIN + 18, color[g->state]);
    xml_text(b, g->title);
    results_buf_printf(b, "</text>\n");
    for (size_t z = 0; z < g->n_zones; z++)
        put_zone(b, &g->zones[z], &boxes[z], canvas_w);
    /* Edges that hold run behind the nodes; failing edges are drawn over everything. */
    for (size_t i = 0; i < g->n_edges; i++)
        if (!g->edges[i].failing)
            put_edge(b, g, i, pos);
    for (size_t i = 0; i < g->n_nodes; i++)
        put_node(b, g, i, &pos[i]);
    for (size_t i = 0; i < g->n_edges; i++)
        if (g->edges[i].failing)
            put_edge(b, g, i, pos);
    results_buf_printf(b, "<g class=\"caption\" font-size=\"12\" fill=\"#222\">");
    int line = 0;
    for (size_t i = 0; i < g->n_caption; i++) {
        const char *p = g->caption[i];
        do {
            size_t n = wrap_at(p, caption_chars);
            char part[GRAPH_TEXT_MAX * 4];
            snprintf(part, sizeof part, "%s%.*s", p == g->caption[i] ? "" : "    ", (int)n, p);
            results_buf_printf(b, "<text x=\"%d\" y=\"%d\">", MARGIN,
                               caption_y + line++ * CAPTION_LINE);
            xml_text(b, part);
            results_buf_printf(b, "</text>");
            p += n;
            p += strspn(p, " ");
        } while (*p);
    }
    results_buf_printf(b, "</g>\n");
    put_legend(b, MARGIN, total_h - 14);
    results_buf_printf(b, "</svg>\n");
    free(pos);
    free(slots);
}
