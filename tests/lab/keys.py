"""Keys and DS records, made by the real tools (ldns-keygen, ldns-key2ds), never by dnssweep."""
import os
import subprocess

ALG_NAMES = {5: "RSASHA1", 7: "RSASHA1-NSEC3-SHA1", 8: "RSASHA256", 13: "ECDSAP256SHA256",
             14: "ECDSAP384SHA384", 15: "ED25519", 16: "ED448"}
RSA_ALGS = (5, 7, 8)


def run(cmd, cwd=None):
    res = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=120)
    if res.returncode != 0:
        raise RuntimeError("%s failed (%d): %s" % (" ".join(cmd), res.returncode, res.stderr.strip()))
    return res.stdout


class Key:
    """One key pair on disk: base path without extension; .key holds the DNSKEY line."""

    def __init__(self, base):
        self.base = base

    def dnskey(self, owner=None):
        """The DNSKEY record (comment stripped), optionally with another owner name."""
        with open(self.base + ".key") as f:
            line = f.read().split(";", 1)[0].strip()
        fields = line.split()
        if owner:
            fields[0] = owner
        return "\t".join(fields[:3]) + "\t" + " ".join(fields[3:])

    def key_tag(self):
        """The key tag, from ldns-keygen's file name K<owner>+<alg>+<tag>."""
        return int(os.path.basename(self.base).rsplit("+", 1)[1])

    def set_flags(self, flags):
        """Rewrites the .key file's flags (e.g. 385 = REVOKE): signer and key2ds then use them."""
        fields = self.dnskey().split()
        fields[3] = str(flags)
        with open(self.base + ".key", "w") as f:
            f.write("\t".join(fields[:3]) + "\t" + " ".join(fields[3:]) + "\n")

    def ds(self, digest=2, owner=None):
        """DS line from ldns-key2ds (SHA-1 when digest=1, SHA-256 when 2, SHA-384 when 4)."""
        src = self.base + ".key"
        if owner:
            src = self.base + ".%s.key" % owner.strip(".")
            with open(src, "w") as f:
                f.write(self.dnskey(owner) + "\n")
        # -f: a DS for any key, also one without the SEP flag (the DS_KEY_NOT_SIGNING case)
        out = run(["ldns-key2ds", "-f", "-n", "-%d" % digest, src]).strip()
        if not out:
            raise RuntimeError("ldns-key2ds printed no DS for " + src)
        return out


def generate(keydir, zone, alg, ksk, bits=None):
    """ldns-keygen in keydir; returns a Key. RSA size defaults to 2048."""
    os.makedirs(keydir, exist_ok=True)
    cmd = ["ldns-keygen", "-a", ALG_NAMES[alg]]
    if alg in RSA_ALGS:
        cmd += ["-b", str(bits or 2048)]
    if ksk:
        cmd.append("-k")
    cmd.append(zone.rstrip(".") + "." if zone != "." else ".")
    base = run(cmd, cwd=keydir).strip().splitlines()[-1]
    # ldns-keygen also writes a .ds file; the lab computes DS itself with ldns-key2ds.
    return Key(os.path.join(keydir, base))
