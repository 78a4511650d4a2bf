/*
 * The report's chain-of-trust pictures: the SVG of `show --graph` inline for each bogus domain,
 * the first REPORT_GRAPHS of them in domain order (each ~10 KB, so the page stays bounded), then
 * a note saying how many more there are and the command that draws any of them.
 */
#include "results/internal.h"

void results_report_graphs_add(results_report_data_t *r, const results_record_t *rec)
{
    if (rec->status != VERIFY_STATUS_BOGUS)
        return;
    if (r->n_bogus++ >= REPORT_GRAPHS)
        return;
    results_buf_t *b = &r->graphs;
    results_buf_str(b, "<details class=\"chain\" data-domain=\"");
    results_html_text(b, rec->domain);
    results_buf_str(b, r->n_graphs == 0 ? "\" open><summary>" : "\"><summary>");
    results_html_text(b, rec->domain);
    for (size_t i = 0; i < rec->n_reasons && i < 3; i++) {
        results_buf_str(b, i ? ", " : ": ");
        results_buf_str(b, verify_reason_name(rec->reasons[i].code));
    }
    results_buf_str(b, "</summary>\n");
    if (results_graph_render(rec, r->scan_name, RESULTS_GRAPH_SVG, b) == 0)
        r->n_graphs++;
    results_buf_str(b, "</details>\n");
}

void results_report_graphs_render(results_buf_t *b, const results_report_data_t *r)
{
    if (!r->n_bogus)
        return;
    results_buf_str(b, "<h2 id=\"chains\">Chains of trust of the bogus domains (");
    results_put_int(b, (int64_t)r->n_bogus);
    results_buf_str(b,
                    ")</h2>\n<p class=\"note\">Drawn from each stored verdict: zones from the root "
                    "down, DS and DNSKEYs, signatures; green secure, grey insecure, red bogus, "
                    "orange indeterminate; the failing link thick red (dashed: something missing)."
                    "</p>\n<style>details.chain svg{max-width:100%;height:auto}"
                    "details.chain summary{cursor:pointer;margin:.3em 0}</style>\n<div "
                    "id=\"chain-graphs\" data-bogus=\"");
    results_put_int(b, (int64_t)r->n_bogus);
    results_buf_str(b, "\" data-drawn=\"");
    results_put_int(b, (int64_t)r->n_graphs);
    results_buf_str(b, "\">\n");
    results_buf_put(b, r->graphs.data, r->graphs.len);
    results_buf_str(b, "</div>\n");
    if (r->n_bogus > REPORT_GRAPHS) {
        results_buf_str(b, "<p class=\"note\" id=\"chains-more\">");
        results_put_int(b, (int64_t)(r->n_bogus - REPORT_GRAPHS));
        results_buf_str(b,
                        " more bogus domains are not drawn here; draw any of them with: dnssweep "
                        "show --scan ");
        results_html_text(b, r->scan_name);
        results_buf_str(b, " --graph DOMAIN.svg DOMAIN</p>\n");
    }
}
