"""The small lab's catalogue: every lab domain, how it is built and what a scanner must say.

This file is the source of truth for the expected results (the lab writes
$LAB_DIR/expected.tsv from it). Status and reason code names are exactly those of the
verdicts spec. Build keys (all optional) understood by build.py:

  parent     parent zone ("test", "example", "unsig", "co.test", or a lab child zone)
  alg        signing algorithm (None = unsigned zone); bits = RSA key size
  nsec3      (iterations, salt) to sign with NSEC3 instead of NSEC
  keys       "ksk+zsk" (default) or "csk" (one key with the SEP flag signs everything)
  ds         what the parent publishes: "good" (default when signed), "none", "other" (DS of
             an unpublished key), "digest" (right tag/alg, wrong digest), "zsk" (DS of the
             ZSK), "stale" (good + other), "sha1" (only a SHA-1 DS), "alg253" (unknown alg)
  servers    server names (see SERVERS in build.py); default ["child1"]
  alt        {server: variant} serve another version of the zone on that server:
             "otherkeys" (signed with other keys), "stripped" (all RRSIGs removed)
  life       (inception, expiration) in seconds relative to LAB_NOW
  mutate     edits applied to the signed zone text (see build.py mutate())
  revoke     publish the KSK with the REVOKE bit (and the DS of the revoked key)
  nozonebit  publish the KSK with flags 1 (no Zone Key bit); RRSIG over DNSKEY made by craft.py
  unpublished_zsk  sign with a ZSK whose DNSKEY is not published
  extra_key  publish (not sign with) another key: ("alg", 8) or ("standby", None)
  cds        "match", "pending" (DS of the standby key) or "delete"
  cds_signer "zsk": CDS/CDNSKEY signed by the ZSK only (ldns-signzone uses the KSK)
  apex_a     add an apex A record (default True); caa: add a CAA record
  ns         name server names to use instead of in-bailiwick ns1/ns2 (out of bailiwick)
  nozone     no zone is built at all (the name is not delegated / parent is dead)
  keytrap    (decoys, bogus, types): publish `decoys` P-256 DNSKEYs sharing the ZSK's key tag
             (keytrap.py) and put `bogus` bad RRSIGs by that tag before the genuine one over
             each RRset of `types`

unbound: what a validating resolver answers for `domain SOA`: secure (NOERROR+AD),
insecure (NOERROR, no AD), servfail, nxdomain, or "-" (cannot tell; see note).
checks: extra (qtype, expectation) pairs the lab_unbound_agrees test also verifies.
"""

DAY = 86400

# Each entry: (domain, status, reasons, unbound, note, build)
CASES = [
    # ---- secure ----
    ("sec13.test", "secure", [], "secure", "alg 13 KSK+ZSK, NSEC, apex A and CAA",
     dict(alg=13, caa=True), [("A", "secure"), ("CAA", "secure"), ("AAAA", "secure")]),
    ("sec8.example", "secure", [], "secure", "alg 8 RSA-2048 NSEC, no apex A (NODATA with NSEC proof)",
     dict(alg=8, apex_a=False, caa=True), [("A", "secure"), ("CAA", "secure")]),
    ("sec14.test", "secure", [], "secure", "alg 14 ECDSA P-384", dict(alg=14)),
    ("sec15.test", "secure", [], "secure", "alg 15 Ed25519", dict(alg=15)),
    ("sec16.test", "secure", [], "secure", "alg 16 Ed448", dict(alg=16)),
    ("nsec3.test", "secure", [], "secure", "alg 13, NSEC3 0 iterations no salt, no apex A",
     dict(alg=13, nsec3=(0, None), apex_a=False), [("A", "secure")]),
    ("nsec3iter.test", "secure", ["NSEC3_ITERATIONS"], "secure", "NSEC3 with 10 iterations",
     dict(alg=13, nsec3=(10, None))),
    ("nsec3salt.test", "secure", ["NSEC3_SALT"], "secure", "NSEC3 0 iterations, salt aabbccdd",
     dict(alg=13, nsec3=(0, "aabbccdd"))),
    ("rsasha1.example", "secure", ["ALGORITHM_DEPRECATED"], "secure", "alg 5 RSASHA1 NSEC",
     dict(alg=5)),
    ("rsasha1nsec3.test", "secure", ["ALGORITHM_DEPRECATED"], "secure", "alg 7 RSASHA1-NSEC3-SHA1 with NSEC3",
     dict(alg=7, nsec3=(0, None))),
    ("rsa1024.example", "secure", ["KEY_TOO_SMALL"], "secure", "alg 8 with 1024-bit KSK and ZSK",
     dict(alg=8, bits=1024)),
    ("dsstale.test", "secure", ["DS_STALE"], "secure", "two DS: the KSK's and one of an unpublished key",
     dict(alg=13, ds="stale")),
    ("dssha1.test", "secure", ["DS_DIGEST_DEPRECATED"], "secure", "only a SHA-1 DS at the parent",
     dict(alg=13, ds="sha1")),
    ("expsoon.test", "secure", ["RRSIG_EXPIRES_SOON"], "secure", "signatures expire 36 h after LAB_NOW",
     dict(alg=13, life=(-3600, 36 * 3600))),
    ("cds.test", "secure", [], "secure", "CSK; CDS/CDNSKEY equal to the DS",
     dict(alg=13, keys="csk", cds="match")),
    ("cdspending.test", "secure", ["CDS_PENDING"], "secure",
     "CSK; CDS/CDNSKEY of a published standby key, DS still of the CSK",
     dict(alg=13, keys="csk", extra_key=("standby", None), cds="pending")),
    ("cdsdelete.test", "secure", ["CDS_DELETE"], "secure", "CSK; CDS 0 0 0 00 / CDNSKEY 0 3 0 AA==",
     dict(alg=13, keys="csk", cds="delete")),
    ("cdszsk.test", "secure", ["CDS_INVALID"], "secure",
     "KSK+ZSK; CDS/CDNSKEY equal to the DS but signed only by the ZSK (not in the DS set, RFC 7344 4.1)",
     dict(alg=13, cds="match", cds_signer="zsk"), [("CDS", "secure")]),
    ("algincomplete.test", "secure", ["ALGORITHM_INCOMPLETE"], "secure",
     "alg 13 signs everything; an alg 8 DNSKEY is published but signs nothing (Unbound: harden-algo-downgrade no)",
     dict(alg=13, extra_key=("alg", 8))),
    ("oob.test", "secure", [], "secure", "NS name out of bailiwick (ns-oob.example, no glue)",
     dict(alg=13, ns=["ns-oob.example."])),
    ("knot.test", "secure", [], "secure", "alg 13 NSEC3, served by Knot DNS instead of NSD",
     dict(alg=13, nsec3=(0, None), servers=["knot"]), [("A", "secure"), ("AAAA", "secure")]),
    ("twoservers.test", "secure", [], "secure", "alg 13, two servers: NSD (ns1) and Knot (ns2), same data",
     dict(alg=13, servers=["child1", "knot"])),
    ("sec.co.test", "secure", [], "secure", "below the co.test registry (own server)",
     dict(alg=13, parent="co.test")),
    ("unreach.test", "secure", ["NS_UNREACHABLE"], "secure",
     "two servers, ns2 is a blackhole (reads, never answers); resolvers use ns1",
     dict(alg=13, servers=["child1", "blackhole"])),
    # ---- insecure ----
    ("insecure.test", "insecure", [], "insecure", "unsigned, no DS (NSEC3 proof at the TLD), CAA",
     dict(alg=None, caa=True), [("CAA", "insecure")]),
    ("insecure.example", "insecure", [], "insecure", "unsigned, no DS (NSEC proof at the TLD)",
     dict(alg=None, parent="example")),
    ("nods.test", "insecure", ["DNSKEY_WITHOUT_DS"], "insecure", "signed alg 13, parent has no DS",
     dict(alg=13, ds="none")),
    ("algunknown.test", "insecure", ["ALGORITHM_UNSUPPORTED"], "insecure",
     "only DS has algorithm 253 (zone signed alg 13)", dict(alg=13, ds="alg253")),
    ("plain.unsig", "insecure", ["PARENT_UNSIGNED"], "insecure", "unsigned under the unsigned TLD",
     dict(alg=None, parent="unsig")),
    ("signed.unsig", "insecure", ["PARENT_UNSIGNED"], "insecure",
     "signed alg 13 under the unsigned TLD (no DS possible)", dict(alg=13, parent="unsig", ds="none")),
    ("plain.co.test", "insecure", [], "insecure", "unsigned below co.test, no DS",
     dict(alg=None, parent="co.test")),
    # ---- bogus ----
    ("dsnomatch.test", "bogus", ["DS_NO_MATCHING_DNSKEY"], "servfail", "DS of an unpublished key",
     dict(alg=13, ds="other")),
    ("dsdigest.test", "bogus", ["DS_DIGEST_MISMATCH"], "servfail", "DS with the KSK's tag/alg, wrong digest",
     dict(alg=13, ds="digest")),
    ("dsunsigned.test", "bogus", ["DS_ZONE_UNSIGNED"], "servfail", "DS at the parent, zone unsigned",
     dict(alg=None, ds="other")),
    ("dsnotsigning.test", "bogus", ["DS_KEY_NOT_SIGNING"], "servfail",
     "DS matches the ZSK, which does not sign the DNSKEY RRset", dict(alg=13, ds="zsk")),
    ("revoked.test", "bogus", ["DNSKEY_REVOKED"], "secure",
     "KSK published with flags 385 and the DS of that revoked key; Unbound 1.17 applies the REVOKE "
     "bit to RFC 5011 trust anchors only and answers secure (the verdicts spec says bogus)",
     dict(alg=13, revoke=True)),
    ("nozonebit.test", "bogus", ["DNSKEY_NO_ZONE_BIT"], "servfail",
     "alg 15; the DS-matched KSK has flags 1 (SEP, no Zone Key bit); its RRSIG over DNSKEY is made "
     "with openssl (no signer makes one); the ZSK signs the rest", dict(alg=15, nozonebit=True)),
    ("expired.test", "bogus", ["RRSIG_EXPIRED"], "servfail", "signatures expired 2 days before LAB_NOW",
     dict(alg=13, life=(-30 * DAY, -2 * DAY))),
    ("notyet.test", "bogus", ["RRSIG_NOT_YET_VALID"], "servfail", "inception 3 days after LAB_NOW",
     dict(alg=13, life=(3 * DAY, 33 * DAY))),
    ("badsig.test", "bogus", ["RRSIG_INVALID"], "servfail", "SOA RRSIG bytes corrupted",
     dict(alg=13, mutate=["corrupt_sig:SOA"])),
    ("nosig.test", "bogus", ["RRSIG_MISSING"], "servfail", "SOA RRSIG removed",
     dict(alg=13, mutate=["strip_sig:SOA"])),
    ("dnskeyunsigned.test", "bogus", ["DNSKEY_UNSIGNED"], "servfail",
     "RRSIG over DNSKEY removed; served by Knot (NSD drops every RRSIG of a zone whose DNSKEY "
     "RRset is unsigned, which is DNSSEC_STRIPPED)",
     dict(alg=13, mutate=["strip_sig:DNSKEY"], servers=["knot"])),
    ("unknownkey.test", "bogus", ["CAA_BOGUS", "DENIAL_INVALID", "RRSIG_UNKNOWN_KEY"], "servfail",
     "data signed by a ZSK whose DNSKEY is not published", dict(alg=13, unpublished_zsk=True)),
    ("malformed.test", "bogus", ["RRSIG_MALFORMED"], "servfail", "SOA RRSIG labels field set to 5 (name has 2)",
     dict(alg=13, mutate=["labels:SOA"])),
    ("denialmissing.test", "bogus", ["CAA_BOGUS", "DENIAL_MISSING"], "secure",
     "NSEC records removed: positive answers validate (SOA secure), negative ones have no proof "
     "(the CAA NODATA too: CAA_BOGUS)",
     dict(alg=13, apex_a=False, mutate=["strip_type:NSEC"]), [("A", "servfail")]),
    ("denialinvalid.test", "bogus", ["CAA_BOGUS", "DENIAL_INVALID"], "secure",
     "RRSIGs over NSEC removed: SOA secure, negative answers carry an unsigned proof "
     "(the CAA NODATA too: CAA_BOGUS)",
     dict(alg=13, apex_a=False, mutate=["strip_sig:NSEC"]), [("A", "servfail")]),
    ("caabogus.test", "bogus", ["CAA_BOGUS"], "secure", "CAA RRSIG corrupted: SOA secure, CAA servfail",
     dict(alg=13, caa=True, mutate=["corrupt_sig:CAA"]), [("CAA", "servfail")]),
    ("inconsistent.test", "bogus", ["DS_NO_MATCHING_DNSKEY", "NS_INCONSISTENT"], "-",
     "ns1 good; ns2 serves the zone signed with other keys. Unbound retries ns1 and may answer secure",
     dict(alg=13, servers=["child1", "child2"], alt={"child2": "otherkeys"})),
    ("stripped.test", "bogus", ["DNSSEC_STRIPPED", "NS_INCONSISTENT"], "-",
     "ns1 good; ns2 serves the DNSKEYs but no RRSIG at all. Unbound retries ns1 and may answer secure",
     dict(alg=13, servers=["child1", "child2"], alt={"child2": "stripped"})),
    ("sub.denialmissing.test", "bogus", ["PARENT_DS_DENIAL_INVALID"], "servfail",
     "unsigned child of denialmissing.test, whose referral has no NSEC proof of no DS",
     dict(alg=None, parent="denialmissing.test", ds="none", servers=["child2"])),
    ("expired.co.test", "bogus", ["RRSIG_EXPIRED"], "servfail", "expired below co.test",
     dict(alg=13, parent="co.test", life=(-30 * DAY, -2 * DAY))),
    # ---- issue 14: KeyTrap ----
    ("keytrap.test", "bogus", ["CAA_BOGUS", "VALIDATION_LIMIT"], "servfail",
     "KeyTrap (CVE-2023-50387): 400 P-256 DNSKEYs share the ZSK's key tag and are listed before "
     "it, 400 bogus RRSIGs by that tag before the genuine one over SOA and A (answers 32-44 KB, "
     "TCP); every ZSK signature needs more than 4 keys tried, the CAA NODATA proof too (CAA_BOGUS). "
     "Unbound 1.17.1-2+deb12u4: SERVFAIL, EDE 6 'too many RRSIG validations'; own NSD (127.N.6.1)",
     dict(alg=13, servers=["keytrap"], keytrap=(400, 400, ("SOA", "A"))),
     [("A", "servfail"), ("CAA", "servfail")]),
    # ---- indeterminate ----
    ("sub.dsdigest.test", "indeterminate", [], "servfail",
     "signed child (good DS) of the bogus dsdigest.test", dict(alg=13, parent="dsdigest.test", servers=["child2"])),
    ("sub.lame.test", "indeterminate", [], "servfail", "the parent lame.test never answers",
     dict(nozone=True)),
    # ---- lame ----
    ("lame.test", "lame", ["NS_UNREACHABLE"], "servfail", "only server is a blackhole (timeout)",
     dict(alg=None, servers=["blackhole"])),
    ("refused.test", "lame", ["NS_LAME"], "servfail", "only server answers REFUSED for the zone",
     dict(alg=None, servers=["refuser"])),
    # ---- nxdomain ----
    ("notdelegated.test", "nxdomain", ["NOT_DELEGATED"], "nxdomain", "NXDOMAIN with NSEC3 proof from test",
     dict(nozone=True)),
    ("notdelegated.example", "nxdomain", ["NOT_DELEGATED"], "nxdomain", "NXDOMAIN with NSEC proof from example",
     dict(nozone=True)),
    ("nx.unsig", "nxdomain", ["NOT_DELEGATED"], "nxdomain", "NXDOMAIN from the unsigned TLD",
     dict(nozone=True)),
]

# Reason codes the small lab does not produce, and why (also in README.md).
SKIPPED = {}


class Case:
    def __init__(self, entry):
        self.domain, self.status, reasons, self.unbound, self.note, self.build = entry[:6]
        self.reasons = sorted(reasons)
        self.checks = list(entry[6]) if len(entry) > 6 else []

    def parent(self):
        return self.build.get("parent", self.domain.split(".", 1)[1])

    def line(self):
        return "\t".join([self.domain, self.status, ",".join(self.reasons) or "-",
                          self.unbound, self.note])


def cases():
    return [Case(e) for e in CASES]
