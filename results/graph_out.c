/*
 * `show --graph FILE`: the format from the file name, the record looked up like show does, and
 * the picture written (SVG as a standalone document, DOT as Graphviz text).
 */
#include "results/internal.h"

#include <string.h>
#include <strings.h>

int results_graph_format_for(const char *path, results_graph_format_t *fmt)
{
    const char *dot = path ? strrchr(path, '.') : NULL;
    if (!dot || strchr(dot, '/'))
        return RESULTS_EINVAL;
    if (strcasecmp(dot, ".svg") == 0)
        *fmt = RESULTS_GRAPH_SVG;
    else if (strcasecmp(dot, ".dot") == 0)
        *fmt = RESULTS_GRAPH_DOT;
    else
        return RESULTS_EINVAL;
    return RESULTS_OK;
}

int results_graph_render(const results_record_t *rec, const char *scan_name,
                         results_graph_format_t fmt, results_buf_t *b)
{
    graph_t g;
    int rc = results_graph_build(rec, scan_name, &g);
    if (rc == 0) {
        if (fmt == RESULTS_GRAPH_DOT)
            results_graph_write_dot(&g, b);
        else
            results_graph_write_svg(&g, b);
        if (b->failed)
            rc = RESULTS_ENOMEM;
    }
    results_graph_clear(&g);
    return rc;
}

int results_graph_write(const results_record_t *rec, const char *scan_name,
                        results_graph_format_t fmt, FILE *out)
{
    if (!rec || !out || (fmt != RESULTS_GRAPH_SVG && fmt != RESULTS_GRAPH_DOT))
        return RESULTS_EINVAL;
    results_buf_t b = {0};
    if (fmt == RESULTS_GRAPH_SVG)
        results_buf_printf(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    int rc = results_graph_render(rec, scan_name, fmt, &b);
    if (rc == 0 && (fwrite(b.data, 1, b.len, out) != b.len || fflush(out) != 0 || ferror(out)))
        rc = RESULTS_EIO;
    results_buf_free(&b);
    return rc;
}

int results_graph(results_store_t *store, const char *scan_name, const char *domain,
                  results_graph_format_t fmt, FILE *out)
{
    results_scan_info_t info;
    results_record_t rec;
    if (!out)
        return RESULTS_EINVAL;
    int rc = results_get_named(store, scan_name, domain, &info, &rec);
    if (rc != 0)
        return rc;
    rc = results_graph_write(&rec, info.name, fmt, out);
    results_record_free(&rec);
    results_scan_info_clear(&info);
    return rc;
}
