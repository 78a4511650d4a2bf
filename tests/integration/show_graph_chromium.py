"""`dnssweep show --graph` for every lab domain, looked at in headless Chromium, next to DNSViz.

The lab is scanned; for each domain `show --graph D.svg` and `show --graph D.dot` run (the
explanation is still printed). Each SVG must be well-formed XML whose zone boxes, DNSKEY and
DS nodes match the domain's exported record, with a failing mark on every bogus domain and
none on a secure one. Chromium loads every SVG on its own and screenshots it (PNGs kept under
the build tree: build/<preset>/show_graph/); a screenshot must not be blank, a bogus domain's
must show the red of its failing link and a secure one's the green of its chain. One Chromium
DOM dump of a page holding all the SVGs as XML checks that Chromium parses each one into the
expected zone boxes and keys. Graphviz (a test-only tool), when installed, must read every
DOT file. For dsnomatch.test DNSViz probes the lab through its Unbound and draws its own graph
(PNG); both PNG paths are printed, and DNSViz's picture must show the keys ours shows."""
import json
import os
import re
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
import zlib

from lab_common import SKIP, lab_env, lab_scan_args, Checks, small_lab_domains

DNSSWEEP = sys.argv[1]
SVG_NS = "{http://www.w3.org/2000/svg}"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run",
                  "--disable-default-apps", "--mute-audio", "--hide-scrollbars"]
KEYS_MAX = 48  # GRAPH_KEYS_MAX / GRAPH_DS_MAX: the picture draws at most this many of each
BOGUS_DOMAIN = "dsnomatch.test"


def chromium_binary():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


def run_group(cmd, timeout):
    """Runs cmd in its own session; on timeout the whole group is killed (Chromium, DNSViz)."""
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                         start_new_session=True)
    try:
        out, err = p.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        p.communicate()
        return -1, "", "timed out after %d s" % timeout
    return p.returncode, out, err


def chromium(args, profile, timeout=90):
    return run_group([chromium_binary()] + CHROMIUM_FLAGS + ["--user-data-dir=" + profile] + args,
                     timeout)


def png_pixels(path):
    """(width, height, rows of (r, g, b)) of an 8-bit non-interlaced RGB/RGBA PNG."""
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, hdr = 8, b"", None
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            hdr = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    w, h, depth, ctype, _, _, interlace = hdr
    assert depth == 8 and ctype in (2, 6) and not interlace, "unexpected PNG format %r" % (hdr,)
    bpp = 3 if ctype == 2 else 4
    raw = zlib.decompress(idat)
    stride = w * bpp
    prev = bytearray(stride)
    rows = []
    for y in range(h):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return w, h, bpp, rows


def png_colours(path):
    """Counts of non-white pixels, of the picture's red (#c62828) and green (#0a7d32)."""
    w, h, bpp, rows = png_pixels(path)
    ink = red = green = 0
    for row in rows:
        for x in range(0, w * bpp, bpp):
            r, g, b = row[x], row[x + 1], row[x + 2]
            if r < 245 or g < 245 or b < 245:
                ink += 1
            if abs(r - 0xc6) < 24 and abs(g - 0x28) < 24 and abs(b - 0x28) < 24:
                red += 1
            elif abs(r - 0x0a) < 24 and abs(g - 0x7d) < 24 and abs(b - 0x32) < 24:
                green += 1
    return ink, red, green


def svg_facts(root):
    """What the checks compare, from a parsed SVG (ElementTree, with or without namespace)."""
    facts = {"zones": [], "dnskey": [], "ds": [], "missing": 0, "failing": 0, "bogus_nodes": 0}
    for g in root.iter():
        if not g.tag.endswith("g"):
            continue
        cls = g.get("class")
        if cls == "zone":
            facts["zones"].append(g.get("data-zone"))
        elif cls == "node":
            kind = g.get("data-kind")
            if kind == "dnskey":
                facts["dnskey"].append(int(g.get("data-tag")))
            elif kind == "ds":
                facts["ds"].append(int(g.get("data-tag")))
            elif kind == "missing":
                facts["missing"] += 1
            facts["bogus_nodes"] += g.get("data-state") == "bogus"
        elif cls == "edge" and g.get("data-failing") == "true":
            facts["failing"] += 1
    facts["status"] = root.get("data-status")
    return facts


def expected_zones(rec):
    """The zone boxes the record gives: the root, the parent's ancestors (at most 4 of them,
    nearest kept), the parent, the domain."""
    parent = rec["parent"]["zone"] if rec["parent"] else None
    if parent is None:
        return [rec["domain"]]
    labels = parent.split(".") if parent else []
    above = [".".join(labels[i:]) for i in range(1, len(labels))][:4]
    return ["."] + list(reversed(above)) + ([parent] if parent else []) + [rec["domain"]]


def check_record_svg(check, rec, facts, where):
    d = rec["domain"]
    want_zones = expected_zones(rec)
    keys = sorted(k["key_tag"] for k in rec["dnskey"])
    ds = sorted(x["key_tag"] for x in (rec["parent"] or {}).get("ds", []))
    ok = (facts["zones"] == want_zones and facts["status"] == rec["status"].replace(
        "lame", "indeterminate").replace("nxdomain", "indeterminate") and
        len(facts["dnskey"]) == min(len(keys), KEYS_MAX) and set(facts["dnskey"]) <= set(keys) and
        len(facts["ds"]) == min(len(ds), KEYS_MAX) and set(facts["ds"]) <= set(ds))
    if rec["status"] == "bogus":
        ok = ok and facts["bogus_nodes"] + facts["failing"] > 0
    if rec["status"] == "secure":
        ok = ok and facts["failing"] == 0 and facts["bogus_nodes"] == 0
    check(ok, "%s %s: zones %s, %d DNSKEY, %d DS, %d failing edges, %d bogus nodes (%s)" % (
        where, d, "/".join(facts["zones"]), len(facts["dnskey"]), len(facts["ds"]),
        facts["failing"], facts["bogus_nodes"], rec["status"]))


def dnsviz_part(check, env, work, keep, our_svg_facts):
    """DNSViz's graph of the same bogus domain; returns its PNG path or None (skipped)."""
    if not shutil.which("dnsviz"):
        print("ok - # SKIP DNSViz: not installed (apt-get install dnsviz)")
        return None
    if env["LAB_PORT"] != "53":
        print("ok - # SKIP DNSViz: the lab runs on port %s; DNSViz asks a resolver on port 53"
              % env["LAB_PORT"])
        return None
    probe = os.path.join(work, "dnsviz.json")
    # Recursive mode through the lab's Unbound: nothing leaves the loopback addresses.
    rc, _, err = run_group(["dnsviz", "probe", "-s", env["LAB_UNBOUND"], "-o", probe,
                            BOGUS_DOMAIN], 120)
    if rc != 0 or not os.path.exists(probe):
        print("ok - # SKIP DNSViz: probe failed offline (exit %d: %s)" % (
            rc, (err.strip().splitlines() or ["no message"])[-1]))
        return None
    # Its trust anchor: the lab root's DNSKEY RRset, asked of the lab's root server.
    hints = open(env["LAB_ROOT_HINTS"]).read()
    root_addr = re.search(r"\sA\s+(\d+\.\d+\.\d+\.\d+)", hints).group(1)
    dig = subprocess.run(["dig", "@" + root_addr, "-p", env["LAB_PORT"], ".", "DNSKEY", "+norec",
                          "+time=5", "+tries=2"], capture_output=True, text=True, timeout=30)
    anchor = os.path.join(work, "root-dnskey.txt")
    with open(anchor, "w") as f:
        f.writelines(l + "\n" for l in dig.stdout.splitlines()
                     if l and not l.startswith(";") and "\tDNSKEY\t" in l.replace(" ", "\t"))
    png = os.path.join(keep, "dnsviz-%s.png" % BOGUS_DOMAIN)
    dot = os.path.join(work, "dnsviz.dot")
    rc1, _, err1 = run_group(["dnsviz", "graph", "-r", probe, "-t", anchor, "-T", "png", "-o",
                              png], 120)
    rc2, _, err2 = run_group(["dnsviz", "graph", "-r", probe, "-t", anchor, "-T", "dot", "-o",
                              dot], 120)
    if rc1 != 0 or rc2 != 0:
        print("ok - # SKIP DNSViz: graph failed (exit %d/%d: %s)" % (
            rc1, rc2, ((err1 + err2).strip().splitlines() or ["no message"])[-1]))
        return None
    ink, red, _ = png_colours(png)
    check(ink > 2000 and red > 200, "DNSViz's PNG %s is drawn (%d ink, %d red pixels)" % (
        png, ink, red))
    theirs = set(int(t) for t in re.findall(r"id=(\d+)", open(dot).read()))
    ours = set(our_svg_facts["dnskey"]) | set(our_svg_facts["ds"])
    check(ours <= theirs, "DNSViz draws the keys and DS tags ours does: ours %s, DNSViz %s" % (
        sorted(ours), sorted(theirs)))
    return png


def main():
    if not chromium_binary():
        print("# skip: no chromium (scripts/deps installs it)")
        return SKIP
    env = lab_env()
    work = tempfile.mkdtemp(prefix="dnssweep-graph-")
    # Kept for a look, in the build tree (never the source tree): build/<preset>/show_graph/.
    keep = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(DNSSWEEP))),
                        "show_graph")
    shutil.rmtree(keep, ignore_errors=True)
    os.makedirs(keep)
    check = Checks()
    try:
        domains = small_lab_domains(env, work)
        db = os.path.join(work, "db")
        r = subprocess.run([DNSSWEEP, "scan", "--db", db, "--scan", "graph"] +
                           lab_scan_args(env) + [domains],
                           capture_output=True, text=True, timeout=300)
        check(r.returncode == 0, "scan of the lab exits 0")
        ex = subprocess.run([DNSSWEEP, "export", "--db", db], capture_output=True, text=True,
                            timeout=60)
        recs = {j["domain"]: j for j in map(json.loads, ex.stdout.splitlines())}
        check(len(recs) > 50, "%d lab domains exported" % len(recs))

        r = subprocess.run([DNSSWEEP, "show", "--db", db, "--graph", os.path.join(work, "x.png"),
                            BOGUS_DOMAIN], capture_output=True, text=True, timeout=30)
        check(r.returncode == 2 and "x.png" in r.stderr and not r.stdout,
              "--graph x.png: usage error naming the file (exit %d)" % r.returncode)

        facts = {}
        dot_tool = shutil.which("dot")
        for d, rec in sorted(recs.items()):
            svg = os.path.join(keep, d + ".svg")
            dot = os.path.join(work, d + ".dot")
            r1 = subprocess.run([DNSSWEEP, "show", "--db", db, "--graph", svg, d],
                                capture_output=True, text=True, timeout=30)
            r2 = subprocess.run([DNSSWEEP, "show", "--db", db, "--graph", dot, d],
                                capture_output=True, text=True, timeout=30)
            # An IDNA A-label's explanation starts with its U-label ("xn--bcher-kva.test is
            # bücher.test (IDNA 2008 U-label)"), then the story as for any domain.
            story = r1.stdout
            if d.startswith("xn--") or ".xn--" in d:
                first, _, story = story.partition("\n")
                check(re.fullmatch(re.escape(d) + r" is \S+ \(IDNA 2008 U-label\)", first),
                      "%s: show --graph names the U-label first: %s" % (d, first))
            if not (r1.returncode == 0 and r2.returncode == 0 and story.startswith(d + ":")):
                check(False, "%s: show --graph exits 0/0 (%d/%d: %s)" % (
                    d, r1.returncode, r2.returncode, (r1.stderr + r2.stderr).strip()))
                continue
            try:
                root = ET.parse(svg).getroot()
            except ET.ParseError as e:
                check(False, "%s: SVG is well-formed XML (%s)" % (d, e))
                continue
            facts[d] = svg_facts(root)
            check_record_svg(check, rec, facts[d], "SVG")
            if dot_tool:
                g = subprocess.run([dot_tool, "-Tsvg", "-o", "/dev/null", dot],
                                   capture_output=True, text=True, timeout=60)
                if g.returncode != 0:
                    check(False, "%s: Graphviz reads the DOT (%s)" % (d, g.stderr.strip()))
        if dot_tool:
            check(True, "Graphviz read the DOT of all %d domains" % len(recs))
        else:
            print("ok - # SKIP Graphviz not installed (apt-get install graphviz): DOT not parsed")

        # Chromium's parse of every SVG as XML, in one page: the same zones and keys.
        page = os.path.join(work, "all.xhtml")
        with open(page, "w") as f:
            f.write('<html xmlns="http://www.w3.org/1999/xhtml"><body>\n')
            for d in sorted(facts):
                body = open(os.path.join(keep, d + ".svg")).read()
                f.write('<div class="one" id="%s">%s</div>\n' % (d, body.split("?>", 1)[1]))
            f.write("</body></html>\n")
        profile = tempfile.mkdtemp(prefix="chromium-", dir=work)
        rc, dom_text, err = chromium(["--dump-dom", "file://" + page], profile, timeout=120)
        check(rc == 0 and "parsererror" not in dom_text and "</html>" in dom_text,
              "Chromium parses all %d SVGs as XML (exit %d)" % (len(facts), rc))
        dom = ET.fromstring(dom_text) if rc == 0 and "parsererror" not in dom_text else None
        same = 0
        for div in (dom.iter("{http://www.w3.org/1999/xhtml}div") if dom is not None else []):
            svg_el = next(iter(div), None)
            if svg_el is not None and svg_facts(svg_el) == facts.get(div.get("id")):
                same += 1
        check(same == len(facts), "Chromium's DOM has the zone boxes and keys of each SVG "
              "(%d of %d)" % (same, len(facts)))

        # A screenshot of each SVG alone.
        secure_red = None
        shots = {}
        for d in sorted(facts):
            svg = os.path.join(keep, d + ".svg")
            root = ET.parse(svg).getroot()
            w, h = int(root.get("width")), int(root.get("height"))
            png = os.path.join(keep, d + ".png")
            rc, _, err = chromium(["--window-size=%d,%d" % (w, h), "--screenshot=" + png,
                                   "file://" + svg], profile)
            if rc != 0 or not os.path.exists(png):
                check(False, "%s: Chromium screenshot (exit %d: %s)" % (d, rc, err.strip()[-200:]))
                continue
            shots[d] = png_colours(png)
            if recs[d]["status"] == "secure" and secure_red is None:
                secure_red = shots[d][1]  # the legend's red only
        blank = [d for d, (ink, _, _) in shots.items() if ink < 3000]
        check(len(shots) == len(facts) and not blank,
              "%d screenshots, none blank (blank: %s)" % (len(shots), blank))
        bogus = [d for d in shots if recs[d]["status"] == "bogus"]
        not_red = [d for d in bogus if shots[d][1] <= (secure_red or 0) + 150]
        check(bogus and not not_red, "every bogus domain's screenshot shows red beyond the "
              "legend's %s pixels (%d bogus; without: %s)" % (secure_red, len(bogus), not_red))
        secure = [d for d in shots if recs[d]["status"] == "secure"]
        not_green = [d for d in secure if shots[d][2] < 1500]
        check(secure and not not_green, "every secure domain's screenshot shows its green chain "
              "(%d secure; without: %s)" % (len(secure), not_green))

        ours = os.path.join(keep, BOGUS_DOMAIN + ".png")
        theirs = dnsviz_part(check, env, work, keep, facts.get(BOGUS_DOMAIN, {"dnskey": [],
                                                                               "ds": []}))
        print("# %s: dnssweep's picture: %s" % (BOGUS_DOMAIN, ours))
        print("# %s: DNSViz's picture:   %s" % (BOGUS_DOMAIN, theirs or "(skipped)"))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("%d passed, %d failed" % (check.passed, check.failures))
    return 1 if check.failures else 0


if __name__ == "__main__":
    sys.exit(main())
