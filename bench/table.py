"""bench/run's table, ratios against the issue 8 targets, cross-N scaling and smoke checks."""


def _f(v, fmt="%.0f"):
    return "-" if v is None else (fmt % v)


def _div(a, b):
    return a / b if (a is not None and b) else None


def ratios(res):
    sw, ub, nsd, fl, dv = res["dnssweep"], res.get("unbound", {}), res.get("nsd", {}), res["floor"], res.get("dnsviz", {})
    res["ratios"] = {
        "dnssweep_over_unbound": _div(sw["mix"]["domains_per_s"], ub.get("domains_per_s")),
        "cpu_over_floor_signed": _div(sw["signed"]["cpu_us_per_domain"], fl["signed_us"]),
        "cpu_over_scanned_floor_signed": _div(sw["signed"]["cpu_us_per_domain"], fl.get("signed_as_scanned_us")),
        "cpu_over_floor_unsigned": _div(sw["unsigned"]["cpu_us_per_domain"], fl["unsigned_us"]),
        "dnssweep_over_dnsviz": _div(sw["mix"]["domains_per_s"], dv.get("domains_per_s")),
        "dnssweep_qps_over_dnsperf": _div(sw["mix"]["queries_per_s"], nsd.get("qps")),
        "engine_qps_over_dnsperf": _div(res.get("engine", {}).get("qps"), nsd.get("qps")),
    }


ROW = "%-34s %10s %13s %12s %14s %8s %8s"


def render(res, speed):
    sw, ub, nsd, fl, dv, ra = (res["dnssweep"], res.get("unbound", {}), res.get("nsd", {}), res["floor"],
                               res.get("dnsviz", {}), res["ratios"])
    runs = sw["mix"]["runs"]
    out = ["", "N = %d bulk lab domains (per 100: 65 unsigned, 32 signed alg 13/8, 3 broken); medians of %d run%s"
           % (res["n"], runs, "" if runs == 1 else "s"),
           ROW % ("", "domains/s", "CPU us/domain", "peak RSS MB", "queries/domain", "retries", "wall s")]
    for k, label in (("mix", "dnssweep, all N"), ("signed", "dnssweep, signed subset"),
                     ("unsigned", "dnssweep, unsigned subset")):
        r = sw[k]
        out.append(ROW % ("%s (%d)" % (label, r["domains"]), _f(r["domains_per_s"]), _f(r["cpu_us_per_domain"]),
                          _f(r["peak_rss_mb"]), _f(r["queries_per_domain"], "%.2f"), _f(r["retries"]),
                          _f(r["wall_s"], "%.1f")))
    if "na" in ub:
        out.append("%-34s %s" % ("Unbound cold cache", ub["na"]))
    else:
        out.append(ROW % ("Unbound cold cache, %d thr (dnsperf)" % ub["threads"], _f(ub["domains_per_s"]),
                          _f(_div(ub["unbound_cpu_s"] * 1e6 if ub["unbound_cpu_s"] is not None else None, res["n"])),
                          _f(ub["unbound_maxrss_mb"]), "1 (client)", "-", _f(ub["run_s"], "%.1f")))
    if "na" in dv:
        out.append("%-34s %s" % ("DNSViz probe+print", dv["na"]))
    else:
        out.append(ROW % ("DNSViz probe+print (%d sample)" % dv["n"], _f(dv["domains_per_s"], "%.2f"),
                          _f(dv.get("cpu_us_per_domain")), _f(dv.get("peak_rss_mb")), "-", "-", _f(dv["wall_s"], "%.1f")))
    eng = res.get("engine", {})
    out.append("NSD raw answers/s (dnsperf SOA+DO, %s): %s   io engine alone (bench_io, same queries): %s   "
               "dnssweep scan queries/s (all N): %s" % (nsd.get("server", "?"), _f(nsd.get("qps")), _f(eng.get("qps")),
                                                       _f(sw["mix"]["queries_per_s"])))
    out.append("crypto floor (openssl speed, 1 core; P-256 %s, RSA-2048 %s, Ed25519 %s verify/s): signed %s us "
               "(DS+DNSKEY+SOA RRSIGs; %d alg 13, %d alg 8), %s us for the %d RRSIGs dnssweep must check; unsigned %s us "
               "(NSEC RRSIG of no DS)" % (
                   _f(speed["ecdsap256"]), _f(speed["rsa2048"]), _f(speed["ed25519"]), _f(fl["signed_us"], "%.1f"),
                   fl["signed_alg13"], fl["signed_alg8"], _f(fl.get("signed_as_scanned_us"), "%.1f"),
                   fl.get("verifies_as_scanned", 0),
                   _f(fl["unsigned_us"], "%.1f")))
    if ub.get("sample_n"):
        out.append("Unbound check: %d/%d sampled answers as expected (AD for signed, no AD unsigned, SERVFAIL broken); "
                   "rcodes %s, lost %s" % (ub["sample_ok"], ub["sample_n"], ub["rcodes"], _f(ub["lost"])))
    if dv.get("n"):
        out.append("DNSViz check: %d/%d delegation statuses as the lab expects; %.3f s per domain (probe %.1f s + print "
                   "%.1f s)" % (dv["agree"], dv["n"], dv["s_per_domain"], dv["probe_s"], dv["print_s"]))
    out.append("ratios: dnssweep/Unbound %s (target >= 3) | CPU/floor signed %s (target <= 1.3) vs validator floor, %s vs the RRSIGs it must check, unsigned %s | "
               "dnssweep/DNSViz %s | engine q/s / dnsperf %s (target >= 1; whole scan %s)" % (
                   _f(ra["dnssweep_over_unbound"], "%.2f"), _f(ra["cpu_over_floor_signed"], "%.2f"),
                   _f(ra["cpu_over_scanned_floor_signed"], "%.2f"), _f(ra["cpu_over_floor_unsigned"], "%.2f"), _f(ra["dnssweep_over_dnsviz"], "%.0f"),
                   _f(ra["engine_qps_over_dnsperf"], "%.2f"), _f(ra["dnssweep_qps_over_dnsperf"], "%.2f")))
    for p in res.get("problems", []):
        out.append("PROBLEM: " + p)
    return "\n".join(out)


def scaling(results):
    """Time and memory growth between the smallest and the largest N (targets: time <= 5.5x for
    5x the domains; peak RSS not growing with N)."""
    a, b = results[0], results[-1]
    sa, sb = a["dnssweep"]["mix"], b["dnssweep"]["mix"]
    return {"n_small": a["n"], "n_large": b["n"], "time_ratio": _div(sb["wall_s"], sa["wall_s"]),
            "n_ratio": b["n"] / a["n"], "rss_small_mb": sa["peak_rss_mb"], "rss_large_mb": sb["peak_rss_mb"]}


def render_scaling(s):
    return ("\nscaling: %d -> %d domains (x%.1f): wall time x%s (target <= 5.5 for x5), peak RSS %s -> %s MB "
            "(target <= 200 MB, flat)" % (s["n_small"], s["n_large"], s["n_ratio"], _f(s["time_ratio"], "%.2f"),
                                         _f(s["rss_small_mb"]), _f(s["rss_large_mb"])))


def sanity(report):
    """Smoke checks: a table was produced, every domain scanned with the expected statuses, the
    peers answered, the numbers are positive. Never a speed threshold."""
    p = []
    if not report.get("results"):
        return ["no results"]
    sp = report.get("openssl_speed", {})
    for k in ("ecdsap256", "rsa2048", "ed25519"):
        if not sp.get(k, 0) > 0:
            p.append("openssl speed %s missing" % k)
    for res in report["results"]:
        p += res.get("problems", [])
        for k, r in res["dnssweep"].items():
            for f in ("domains_per_s", "cpu_us_per_domain", "peak_rss_mb", "queries_per_domain"):
                if not (r.get(f) or 0) > 0:
                    p.append("dnssweep %s: %s = %s" % (k, f, r.get(f)))
        if res["dnssweep"]["mix"]["domains"] != res["n"]:
            p.append("dnssweep scanned %d of %d" % (res["dnssweep"]["mix"]["domains"], res["n"]))
        ub = res.get("unbound", {})
        if "na" not in ub and not (ub.get("domains_per_s") or 0) > 0:
            p.append("unbound: no validated domains/s")
        if not (res.get("nsd", {}).get("qps") or 0) > 0:
            p.append("dnsperf against NSD: no answers")
        eng = res.get("engine", {})
        if not (eng.get("qps") or 0) > 0:
            p.append("io engine against NSD: no answers")
        if not (res["floor"].get("signed_us") or 0) > 0:
            p.append("no crypto floor")
    return p
