#!/usr/bin/env python3
"""Regenerates the seed corpora of tests/fuzz/corpus/ from a running lab (stdlib only).

    tests/lab/lab up --net 127.58 --dir build/fuzzlab
    tests/fuzz/make_corpus.py --lab-dir build/fuzzlab --dnssweep build/fuzz/scanner/dnssweep \
        --seed-records build/fuzz/tests/fuzz/fuzz_seed_records
    tests/lab/lab down --dir build/fuzzlab

Raw answers are captured with plain UDP queries (DO set, 4096-byte EDNS buffer) to the lab's
NSD/Knot servers; every file is kept under 4 KB. The record corpus comes from a real scan of the
lab, re-encoded by fuzz_seed_records. Seeds are named by content hash, so reruns only add.
"""
import argparse
import glob
import gzip
import hashlib
import os
import random
import socket
import struct
import subprocess
import tempfile

QTYPES = {"A": 1, "NS": 2, "SOA": 6, "AAAA": 28, "DS": 43, "RRSIG": 46, "DNSKEY": 48,
          "NSEC3PARAM": 51, "CDS": 59, "CDNSKEY": 60, "CAA": 257}
MAX_SEED = 4000
HERE = os.path.dirname(os.path.abspath(__file__))


def encode_name(name):
    out = b""
    for label in name.strip(".").split("."):
        if label:
            out += bytes([len(label)]) + label.encode()
    return out + b"\0"


def query(addr, name, qtype, port=53, timeout=1.0):
    """Returns the raw answer bytes, or None."""
    qid = random.getrandbits(16)
    msg = struct.pack("!HHHHHH", qid, 0, 1, 0, 0, 1)
    msg += encode_name(name) + struct.pack("!HH", QTYPES[qtype], 1)
    msg += b"\0" + struct.pack("!HHIH", 41, 4096, 0x8000, 0)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.settimeout(timeout)
        try:
            s.sendto(msg, (addr, port))
            data, _ = s.recvfrom(65535)
        except OSError:
            return None
    if len(data) < 12 or data[:2] != msg[:2]:
        return None
    return data


def authoritative(data):
    flags = struct.unpack("!H", data[2:4])[0]
    return bool(flags & 0x0400) and (flags & 0xF) in (0, 3)


def servers(net):
    return [f"{net}.{x}" for x in ("0.1", "1.1", "2.1", "3.1", "3.2", "3.4", "4.1")]


def find_auth(net, zone):
    """The first lab server authoritative for zone (answers its SOA with AA), or None."""
    for addr in servers(net):
        d = query(addr, zone, "SOA", timeout=0.3)
        if d and authoritative(d) and struct.unpack("!H", d[6:8])[0] > 0:
            return addr
    return None


def save(outdir, data):
    if data is None or len(data) > MAX_SEED:
        return False
    os.makedirs(outdir, exist_ok=True)
    path = os.path.join(outdir, hashlib.sha1(data).hexdigest()[:16])
    with open(path, "wb") as f:
        f.write(data)
    return True


def frames(parts):
    out = b""
    for p in parts:
        p = p or b""
        out += struct.pack("!H", len(p)) + p
    return out


def capture(net, domains, corpus):
    rng = random.Random(58)
    for domain in domains:
        auth = find_auth(net, domain)
        parent = domain.split(".", 1)[1] if "." in domain else "."
        pauth = find_auth(net, parent)
        ds = query(pauth, domain, "DS") if pauth else None
        referral = query(pauth, domain, "A") if pauth else None
        ans = {}
        if auth:
            for t in ("DNSKEY", "SOA", "A", "CAA", "CDS", "CDNSKEY", "NSEC3PARAM"):
                ans[t] = query(auth, domain, t)
            ans["probe"] = query(auth, f"dnssweep-{rng.getrandbits(32):08x}.{domain}", "A")
        for t in ("DNSKEY", "SOA", "A", "CDS", "probe"):
            save(f"{corpus}/fuzz_packet", ans.get(t))
        save(f"{corpus}/fuzz_packet", referral)
        for t in ("DNSKEY", "SOA", "CDS", "CDNSKEY"):
            save(f"{corpus}/fuzz_canon", ans.get(t))
        save(f"{corpus}/fuzz_canon", ds)
        # Verifier bundle: parent state, then DS, DNSKEY, SOA, A, CAA, CDS, CDNSKEY, probe.
        # Frames are dropped from the end until the bundle fits.
        has_ds = ds is not None and struct.unpack("!H", ds[6:8])[0] > 0
        parts = [ds] + [ans.get(t) for t in ("DNSKEY", "SOA", "A", "CAA", "CDS", "CDNSKEY",
                                              "probe")]
        while parts:
            bundle = bytes([0 if has_ds else 1]) + frames(parts)
            if save(f"{corpus}/fuzz_verify", bundle):
                break
            parts.pop()
        # Denial: control bytes (kind, qtype, labels stripped, limit) + a negative answer.
        if ans.get("probe"):
            save(f"{corpus}/fuzz_denial", bytes([0, 0, 1, 1, 2]) + ans["probe"])
        if ans.get("CAA"):
            save(f"{corpus}/fuzz_denial", bytes([1, 1, 1, 0, 2]) + ans["CAA"])
        if ds is not None and not has_ds:
            save(f"{corpus}/fuzz_denial", bytes([2, 0, 43, 1, 2]) + ds)
        if referral is not None:
            save(f"{corpus}/fuzz_denial", bytes([0x82, 0, 43, 1, 0]) + referral)


def input_seeds(domains, corpus):
    out = f"{corpus}/fuzz_input"
    save(out, ("\n".join(domains[:20]) + "\n").encode())
    save(out, "# comment\n\n  Sec13.TEST.  \r\nexample\n".encode())
    save(out, "bücher.example\nxn--bcher-kva.example\nstraße.de\nfaß.de\n".encode())
    save(out, "a..b\n-lead.test\nlabel_with_underscore.test\n" .encode() + b"nul\0byte.test\n")
    save(out, ("a" * 64 + ".test\n" + ".".join(["a" * 63] * 4) + "\n").encode())
    save(out, b"\xff\xfe bad utf8\n\xc3\x28.test\nok.test")
    save(out, "\t\t\n#only comments\n".encode())
    save(out, "日本語.jp\nпример.рф\n☃.net\n".encode())
    for d in domains[20:40]:
        save(out, (d + "\n").encode())


def anchor_seeds(lab_dir, corpus):
    out = f"{corpus}/fuzz_anchor"
    for path in (f"{lab_dir}/root.key", f"{lab_dir}/root.hints", "/usr/share/dns/root.key",
                 "/usr/share/dns/root.hints", "/usr/share/dns/root.ds"):
        if os.path.exists(path):
            with open(path, "rb") as f:
                data = f.read()
            if not save(out, data):
                save(out, data[:MAX_SEED].rsplit(b"\n", 1)[0] + b"\n")
    save(out, b"$ORIGIN .\n$TTL 3600\n. IN DS 20326 8 2 "
              b"E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D\n")
    save(out, b". 86400 IN DNSKEY 257 3 13 ( mdsswUyr3DPW132mOi8V9xESWE8jTo0d\n"
              b" xCjjnopKl+GqJxpVXckHAeF+KkxLbxILfDLUT0rAK9iUzy1L53eKGQ== ) ; KSK\n")
    save(out, b"a.root-servers.net. 3600000 A 198.41.0.4\n$INCLUDE /nonexistent\n"
              b"@ 3600 NS a.root-servers.net.\n")
    save(out, b"; empty\n\n")


def zonefile_seeds(lab_dir, corpus):
    """The lab's own parent zone files (what its NSD serves, the input of scan --zone-file) cut
    into seeds under 4 KB at line boundaries (each piece after the first starts with the zone's
    SOA line, so the reader knows the apex), a few of them gzip-compressed (the reader inflates
    any gzip file), and hand-written files for the syntax the lab's signer never writes."""
    out = f"{corpus}/fuzz_zonefile"
    paths = sorted(glob.glob(f"{lab_dir}/nsd-*/*.zone"))
    for path in paths:
        with open(path, "rb") as f:
            lines = f.read().splitlines(keepends=True)
        if not lines:
            continue
        head, piece, pieces = lines[0], b"", []
        for line in lines:
            if piece and len(piece) + len(line) > MAX_SEED - 200:
                pieces.append(piece)
                piece = head
            piece += line
        pieces.append(piece)
        for i, p in enumerate(pieces):
            save(out, p)
            if i < 2:
                save(out, gzip.compress(p, mtime=0))
    for text in (
        b"$ORIGIN example.\n$TTL 1h30m\n@ SOA ns1 host 1 2 3 4 5\n"
        b"child ( NS ns1.child\n  NS ns2.other. )\n DS 12345 13 2 ( 0123456789abcdef\n"
        b" 0123456789ABCDEF )\n RRSIG DS 13 2 3600 20270101000000 20260101000000 1 @ AAAA\n"
        b"ns1.child 60 IN A 192.0.2.1\nns1.child IN 60 AAAA 2001:db8::1\n"
        b"$INCLUDE other.zone\n$GENERATE 1-2 a$ A 192.0.2.$\n",
        b"example. 300 IN SOA a. b. 1 2 3 4 5\nb.example. 300 IN DS 1 13 2 00\n"
        b"a.example. 300 IN NS ns.a.example.\n"
        b"a.example. 300 IN NSEC c.example. NS DS RRSIG NSEC\n"
        b"a.example. 300 IN RRSIG NSEC 13 2 300 20270101000000 20260101000000 1 example. AA==\n"
        b"x.a.example. 300 IN TXT \"quoted ; not a comment\" \"\\\"\"\n"
        b"c.example. 300 CH NS ns.c.example.\nd.example. 300 IN NS ns.\\.d.example.\n",
        b"$ORIGIN .\n. 86400 SOA a. b. 1 2 3 4 5\ncom. NS a.gtld-servers.net.\n"
        b"a.gtld-servers.net. A 192.5.6.30\nnet. NS a.gtld-servers.net.\n"):
        save(out, text)
        save(out, gzip.compress(text, mtime=0))


def record_seeds(args, corpus, lab_env):
    if not args.dnssweep or not args.seed_records:
        return
    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, "db")
        cmd = [args.dnssweep, "scan", "--db", db, "--scan", "seed", "--root-hints",
               lab_env["LAB_ROOT_HINTS"], "--trust-anchor", lab_env["LAB_TRUST_ANCHOR"],
               "--now", lab_env["LAB_NOW"], "--timeout", "300", "--retries", "1",
               "--progress", "never", "--check-resolver", lab_env["LAB_UNBOUND"],
               lab_env["LAB_DOMAINS"]]
        subprocess.run(cmd, check=False, stdout=subprocess.DEVNULL, timeout=300)
        subprocess.run([args.seed_records, db, "seed", f"{corpus}/fuzz_record"], check=True,
                       timeout=60)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--lab-dir", required=True)
    ap.add_argument("--corpus", default=os.path.join(HERE, "corpus"))
    ap.add_argument("--dnssweep")
    ap.add_argument("--seed-records")
    ap.add_argument("--only", help="one kind of seeds only: packets (packet, canon, verify, denial), input, "
                    "anchor, zonefile or record")
    args = ap.parse_args()
    env = {}
    out = subprocess.run([os.path.join(HERE, "..", "lab", "lab"), "env", "--dir", args.lab_dir],
                         check=True, capture_output=True, text=True).stdout
    for line in out.splitlines():
        k, _, v = line.partition("=")
        env[k] = v
    with open(env["LAB_DOMAINS"]) as f:
        domains = [d.strip() for d in f if d.strip()]
    makers = {
        "packets": lambda: capture(env["LAB_NET"], domains, args.corpus),
        "input": lambda: input_seeds(domains, args.corpus),
        "anchor": lambda: anchor_seeds(args.lab_dir, args.corpus),
        "zonefile": lambda: zonefile_seeds(args.lab_dir, args.corpus),
        "record": lambda: record_seeds(args, args.corpus, env),
    }
    if args.only and args.only not in makers:
        ap.error("--only: one of " + ", ".join(makers))
    for name, make in makers.items():
        if not args.only or args.only == name:
            make()
    for d in sorted(os.listdir(args.corpus)):
        print(d, len(os.listdir(os.path.join(args.corpus, d))))


if __name__ == "__main__":
    main()
