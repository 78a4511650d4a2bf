"""A hand-made RRSIG over a DNSKEY RRset, signed by the `openssl` command (Ed25519).

Needed for DNSKEY_NO_ZONE_BIT only: ldns-signzone skips keys without the Zone Key flag and
dnssec-signzone refuses them, so the lab builds the RFC 4034 section 3.1.8.1 signing input itself
and lets OpenSSL sign it with the private key ldns-keygen made.
"""
import base64
import os
import struct
import subprocess
import tempfile
import time

ED25519_PKCS8_PREFIX = bytes.fromhex("302e020100300506032b657004220420")
DNSKEY_TYPE = 48


def name_wire(name):
    out = b""
    for label in name.lower().strip(".").split("."):
        if label:
            out += bytes([len(label)]) + label.encode()
    return out + b"\0"


def dnskey_rdata(fields):
    """fields: flags, protocol, algorithm, base64 key (possibly split)."""
    return struct.pack("!HBB", int(fields[0]), int(fields[1]), int(fields[2])) + base64.b64decode("".join(fields[3:]))


def key_tag(rdata):
    acc = sum(b << 8 if i % 2 == 0 else b for i, b in enumerate(rdata))
    return (acc + (acc >> 16)) & 0xFFFF


def sign_dnskey_rrset(owner, ttl, dnskeys, signer_fields, private_path, inception, expiration):
    """Returns the RRSIG line for the DNSKEY RRset `dnskeys` (lists of rdata fields) made with the
    Ed25519 key `private_path` (ldns .private), whose public DNSKEY fields are signer_fields."""
    with open(private_path) as f:
        seed = [l.split(":", 1)[1].strip() for l in f if l.startswith("PrivateKey:")][0]
    pem = ("-----BEGIN PRIVATE KEY-----\n%s\n-----END PRIVATE KEY-----\n"
           % base64.b64encode(ED25519_PKCS8_PREFIX + base64.b64decode(seed)).decode())
    labels = len([l for l in owner.strip(".").split(".") if l])
    tag = key_tag(dnskey_rdata(signer_fields))
    head = struct.pack("!HBBIIIH", DNSKEY_TYPE, 15, labels, ttl, expiration, inception, tag) + name_wire(owner)
    data = head
    for rd in sorted(dnskey_rdata(k) for k in dnskeys):  # canonical order: by RDATA bytes
        data += name_wire(owner) + struct.pack("!HHIH", DNSKEY_TYPE, 1, ttl, len(rd)) + rd
    with tempfile.TemporaryDirectory() as tmp:
        key, msg, sig = (os.path.join(tmp, n) for n in ("k.pem", "m.bin", "s.bin"))
        with open(key, "w") as f:
            f.write(pem)
        with open(msg, "wb") as f:
            f.write(data)
        subprocess.run(["openssl", "pkeyutl", "-sign", "-rawin", "-inkey", key, "-in", msg, "-out", sig],
                       check=True, capture_output=True, timeout=30)
        with open(sig, "rb") as f:
            signature = f.read()
    def fmt(t):
        return time.strftime("%Y%m%d%H%M%S", time.gmtime(t))

    return "%s\t%d\tIN\tRRSIG\tDNSKEY 15 %d %d %s %s %d %s %s" % (
        owner, ttl, labels, ttl, fmt(expiration), fmt(inception), tag, owner,
        base64.b64encode(signature).decode())
