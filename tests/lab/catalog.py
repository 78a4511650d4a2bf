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
             ZSK), "stale" (good + other), "sha1" (only a SHA-1 DS), "alg253" (unknown alg),
             "sha1rescue" (a matching SHA-1 DS + a SHA-256 DS with a wrong digest), "many"
  ds_life    (inception, expiration) of the parent's RRSIG over this DS RRset (that RRset re-signed)
  ds_sig_alg the parent's RRSIG over this DS RRset is replaced by one of this algorithm
  resign     [(owner, type, (inception, expiration))]: those RRSIGs of the zone get other times
  mangle     rule of mangler.py for a zone on a mangleN server (see mangler.py)
  extra_rrs  more zone-file lines (e.g. a wildcard)
  servers    server names (see SERVERS in zones.py); default ["child1"]
  one_name   one NS name (ns1.<zone>) with one address per server, instead of one name each
  alt        {server: variant} serve another version of the zone on that server:
             "otherkeys" (signed with other keys), "stripped" (all RRSIGs removed),
             "oldcds" (same keys, CDS/CDNSKEY of the KSK instead of what `cds` says)
             "expired" (same keys, signatures that expired 2 days before LAB_NOW)
  life       (inception, expiration) in seconds relative to LAB_NOW
  mutate     edits applied to the signed zone text (see build.py mutate())
  revoke     publish the KSK with the REVOKE bit (and the DS of the revoked key)
  nozonebit  publish the KSK with flags 1 (no Zone Key bit); RRSIG over DNSKEY made by craft.py
  unpublished_zsk  sign with a ZSK whose DNSKEY is not published
  extra_key  publish (not sign with) another key: ("alg", 8) or ("standby", None)
  cds        "match", "pending" (DS of the standby key), "delete", or "many" (see many)
  many       (n, n_ds, n_cds): publish n more keys that sign nothing (all key tags distinct);
             with ds="many" the parent has a SHA-256 and a SHA-384 DS of the KSK and n_ds - 1
             of them, with cds="many" a SHA-256 CDS and a CDNSKEY of the KSK and n_cds - 1
  cds_signer "zsk": CDS/CDNSKEY signed by the ZSK only (ldns-signzone uses the KSK)
  standby_signs  the standby key (extra_key) signs the DNSKEY RRset too (a KSK rollover)
  dsboot_for [zones]: publish their CDS/CDNSKEY as RFC 9615 signals under this zone's names
             (_dsboot.<zone>._signal.<ns name> for each of their NS names in this zone)
  apex_a     add an apex A record (default True); caa: add a CAA record
  ns         name server names to use instead of in-bailiwick ns1/ns2 (out of bailiwick)
  nozone     no zone is built at all (the name is not delegated / parent is dead)
  keytrap    (decoys, bogus, types): publish `decoys` P-256 DNSKEYs sharing the ZSK's key tag
             (keytrap.py) and put `bogus` bad RRSIGs by that tag before the genuine one over
             each RRset of `types`

unbound: what a validating resolver answers for `domain SOA`: secure (NOERROR+AD),
insecure (NOERROR, no AD), servfail, nxdomain, or "-" (cannot tell; see note).
checks: extra (qtype, expectation) pairs the lab_unbound_agrees test also verifies, or
(label, qtype, expectation) to ask label.<domain> (e.g. the scanner's random-label probe).
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
    ("sub.dsdigest.test", "bogus", ["PARENT_BOGUS"], "servfail",
     "signed child (good DS) of the bogus dsdigest.test: resolvers SERVFAIL every name below it",
     dict(alg=13, parent="dsdigest.test", servers=["child2"])),
    # ---- issue 14: KeyTrap ----
    ("keytrap.test", "bogus", ["VALIDATION_LIMIT"], "servfail",
     "KeyTrap (CVE-2023-50387): 400 P-256 DNSKEYs share the ZSK's key tag and are listed before "
     "it, 400 bogus RRSIGs by that tag before the genuine one over SOA and A (answers 32-44 KB, "
     "TCP); every ZSK signature needs more than 4 keys tried, the CAA NODATA proof too (the work "
     "limit is the zone's: said as VALIDATION_LIMIT, not wrapped into CAA_BOGUS). "
     "Unbound 1.17.1-2+deb12u4: SERVFAIL, EDE 6 'too many RRSIG validations'; own NSD (127.N.6.1)",
     dict(alg=13, servers=["keytrap"], keytrap=(400, 400, ("SOA", "A"))),
     [("A", "servfail"), ("CAA", "servfail")]),
    # ---- indeterminate ----
    ("sub.lame.test", "indeterminate", ["PARENT_UNREACHABLE"], "servfail",
     "the parent lame.test never answers (its only server is the blackhole): the chain cannot be fetched",
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
    # ==== issue 14: the judge never says secure without proof ====
    # Real signed zones (ldns-signzone), each with what verdicts.md prescribes and what the lab's
    # Unbound 1.17 answers; where they differ the note says why. Zones on mangle1..6 are served
    # by mangler.py, which relays to the NSD serving the correctly signed zone (child2) and
    # rewrites or withholds one answer (rules in mangler.py).
    ("sec.lapsed", "bogus", ["PARENT_BOGUS"], "servfail",
     "correctly signed child (good DS) of the TLD lapsed, whose only RRSIG over its own DNSKEY RRset "
     "expired 2 days before LAB_NOW: resolvers SERVFAIL every name below lapsed",
     dict(alg=13)),
    ("soaempty.test", "bogus", ["DENIAL_MISSING"], "servfail",
     "signed, good DS; its server answers SOA NOERROR/AA with empty sections and no proof: the apex "
     "SOA is neither validated nor proven absent (a NODATA without proof)",
     dict(alg=13, servers=["mangle1"], mangle="soa_empty"), [("A", "secure")]),
    ("soaforeign.test", "bogus", ["DENIAL_MISSING"], "servfail",
     "signed, good DS; the SOA answer holds only an unsigned SOA owned by foreign.soaforeign.test: a "
     "record of another owner is no answer to the apex SOA question (resolvers scrub it), so this is "
     "an empty answer without proof, not an unsigned apex SOA (RRSIG_MISSING)",
     dict(alg=13, servers=["mangle2"], mangle="soa_foreign"), [("A", "secure")]),
    ("apexnx.test", "bogus", ["DENIAL_MISSING"], "secure",
     "signed, good DS; A at the apex answered NXDOMAIN/AA with the signed SOA in authority and no "
     "NSEC: a negative answer without proof (SOA still validates; A servfails)",
     dict(alg=13, servers=["mangle3"], mangle="apex_a_nxdomain"), [("A", "servfail")]),
    ("caaservfail.test", "bogus", ["CAA_BOGUS"], "secure",
     "signed, good DS, a signed CAA record; the server answers CAA with SERVFAIL: no validated CAA "
     "answer, so CAs (which must validate CAA) refuse; CAA_BOGUS names that, NS_LAME (REFUSED/no AA) "
     "does not fit a server authoritative for everything else",
     dict(alg=13, caa=True, servers=["mangle4"], mangle="caa_servfail"), [("CAA", "servfail"), ("A", "secure")]),
    ("silent.test", "bogus", ["DENIAL_MISSING", "NS_UNREACHABLE"], "servfail",
     "signed, good DS; SOA answered empty without proof (DENIAL_MISSING); A, AAAA, CAA, the random "
     "probe, CDS and CDNSKEY never answered, over UDP or TCP (NS_UNREACHABLE: an answer missing after "
     "retries, whatever its type); DNSKEY and NS are answered",
     dict(alg=13, servers=["mangle5"], mangle="silent"), [("A", "servfail")]),
    ("halfsilent.test", "secure", ["NS_UNREACHABLE"], "secure",
     "signed, good DS, two servers: child1 answers everything, the other (mangle7) answers DNSKEY, "
     "SOA and NS but never A, CAA, CDS or the probe. Like a dead server beside a good one "
     "(unreach.test): NS_UNREACHABLE for that server, and resolvers ask the good one. Its NS "
     "list names the higher address first, so scan_lab sees that records list servers by address",
     dict(alg=13, servers=["mangle7", "child1"], mangle="silent_data"), [("A", "secure")]),
    ("wildcard.test", "secure", [], "secure",
     "*.wildcard.test A; NSD answers the random probe with the expanded A (RRSIG labels 2 < 3) and the "
     "NSEC proof that the exact name does not exist (RFC 4035 5.3.4)",
     dict(alg=13, extra_rrs=["*.wildcard.test. A 127.0.0.1"]), [("dnssweep-0badc0de", "A", "secure")]),
    ("wildnoproof.test", "bogus", ["DENIAL_MISSING"], "secure",
     "*.wildnoproof.test A; below the apex its server sends the answer section only: the probe gets "
     "the expanded A (RRSIG labels 2 < 3) with an empty authority section, no proof (SOA secure)",
     dict(alg=13, extra_rrs=["*.wildnoproof.test. A 127.0.0.1"], servers=["mangle6"], mangle="wild_noproof"),
     [("dnssweep-0badc0de", "A", "servfail")]),
    ("sha1rescue.test", "bogus", ["DS_DIGEST_MISMATCH"], "secure",
     "two DS for the KSK: a matching SHA-1 one and a SHA-256 one with a wrong digest; RFC 4509 3: with "
     "a SHA-256 DS present the SHA-1 DS is ignored (BIND 9.18 delv: bogus). Unbound 1.17 prefers the "
     "strongest digest only with harden-algo-downgrade: yes (default no; the lab needs no for "
     "algincomplete.test) and answers secure",
     dict(alg=13, ds="sha1rescue")),
    ("dssigalg.test", "bogus", ["RRSIG_UNKNOWN_KEY"], "servfail",
     "good DS, but the TLD's only RRSIG over it has algorithm 253 (test's keys are alg 13): no "
     "supported signature over the DS RRset is not a downgrade to insecure; RRSIG_UNKNOWN_KEY on "
     "dssigalg.test/DS (no test DNSKEY has that tag and algorithm)",
     dict(alg=13, ds_sig_alg=253)),
    ("nsec3iter200.test", "secure", ["NSEC3_ITERATIONS"], "secure",
     "own NSEC3 chain with 200 iterations (> 150): SOA and DNSKEY secure, negative answers insecure "
     "(no AD) but not bogus; on its own NSD (sld2) as the registry of plain.nsec3iter200.test",
     dict(alg=13, nsec3=(200, None), apex_a=False, servers=["sld2"]), [("A", "insecure")]),
    ("plain.nsec3iter200.test", "insecure", ["NSEC3_ITERATIONS"], "insecure",
     "unsigned, no DS; the parent's NSEC3 proof of no DS uses 200 iterations: unprovable, so an "
     "insecure delegation (the warning is that proof's)",
     dict(alg=None)),
    ("dsnomatchexpired.test", "bogus", ["DS_NO_MATCHING_DNSKEY", "RRSIG_EXPIRED"], "servfail",
     "DS of an unpublished key AND every signature expired 2 days before LAB_NOW: both links are "
     "broken and both must change",
     dict(alg=13, ds="other", life=(-30 * DAY, -2 * DAY))),
    ("dssigexpired.test", "bogus", ["RRSIG_EXPIRED"], "servfail",
     "good DS, but the TLD's RRSIG over that DS RRset expired 2 days before LAB_NOW (test re-signed "
     "for that RRset only): RRSIG_EXPIRED on dssigexpired.test/DS, not PARENT_DS_DENIAL_INVALID",
     dict(alg=13, ds_life=(-30 * DAY, -2 * DAY))),
    ("dssignotyet.test", "bogus", ["RRSIG_NOT_YET_VALID"], "secure",
     "good DS, but the TLD's RRSIG over it has its inception 3 min after LAB_NOW: strict (RFC 4035 "
     "5.3.1, as BIND); Unbound's clock-skew allowance (10% of the lifetime, 1 h..1 day) accepts it",
     dict(alg=13, ds_life=(180, 30 * DAY))),
    # ==== issue 14: no silent caps ====
    # The scanner once kept 16 DS, 16 CDS/CDNSKEY and 32 DNSKEYs of a domain and dropped the rest.
    # A correctly signed zone with more of each: the scan must list every record (scan_lab checks
    # the JSON line and `show`), and nothing about them is a reason but what verdicts.md names.
    ("manykeys.test", "secure", ["CDS_PENDING"], "secure",
     "alg 13 KSK+ZSK and 38 published standby keys (40 DNSKEYs, all key tags distinct, only the "
     "KSK and ZSK sign); the parent has 20 DS (SHA-256 and SHA-384 of the KSK and 9 standby keys); "
     "the zone publishes 20 CDS (SHA-256) and 20 CDNSKEY of the KSK and 19 standby keys, signed by "
     "the KSK: CDS and CDNSKEY agree (RFC 7344 4), but the parent would change its DS RRset from "
     "them (10 more keys, no SHA-384): CDS_PENDING. Answers go over TCP (DNSKEY ~3.6 KB); own NSD",
     dict(alg=13, many=(38, 10, 20), ds="many", cds="many", servers=["manykeys"]),
     [("DNSKEY", "secure"), ("CDS", "secure"), ("CDNSKEY", "secure")]),
]

# ---- issue 14: zone cuts found from the answers ----
# One NSD instance ("multi") serves a registry, its sub-registry and domains below them, as real
# DNS hosts do. It answers every question from the deepest zone it holds, so a domain's DS (or
# proof of no DS, or referral) comes from a zone the walk was never referred to: verdicts.md says
# a cut was missed, not that the signature is bogus. These are the only cases where a child
# shares its parent's instance (README.md); reg.test and mid.test are delegated from `test` as usual.
ZONE_CUT_CASES = [
    ("reg.test", "secure", [], "secure",
     "registry (alg 13) on the multi server, which also serves the zones below it",
     dict(alg=13, servers=["multi"])),
    ("dom.reg.test", "secure", [], "secure", "directly below reg.test, on the same server",
     dict(alg=13, servers=["multi"])),
    ("sub.reg.test", "secure", [], "secure", "sub-registry below reg.test, on the same server",
     dict(alg=13, servers=["multi"])),
    ("dom.sub.reg.test", "secure", [], "secure",
     "three cuts below the TLD, all on one server: its DS answer is signed by sub.reg.test, a "
     "zone no referral named", dict(alg=13, servers=["multi"])),
    ("plain.sub.reg.test", "insecure", [], "insecure",
     "unsigned in the signed sub-registry, same server: the proof of no DS comes from sub.reg.test",
     dict(alg=None, servers=["multi"])),
    ("deleg.sub.reg.test", "secure", [], "secure",
     "on child1: the multi server's referral for it comes from sub.reg.test (DS signed by it)",
     dict(alg=13)),
    ("mid.reg.test", "insecure", [], "insecure", "unsigned middle below reg.test (no DS), same server",
     dict(alg=None, servers=["multi"])),
    ("dom.mid.reg.test", "insecure", ["PARENT_UNSIGNED"], "insecure",
     "signed, below the unsigned mid.reg.test on the same server: its DS answer is mid.reg.test's "
     "unsigned NODATA", dict(alg=13, servers=["multi"], ds="none")),
    ("far.mid.reg.test", "insecure", ["PARENT_UNSIGNED"], "insecure",
     "signed, on child1 below the unsigned mid.reg.test: the multi server's referral carries no "
     "DS, RRSIG or proof (reg.test's DS answers find the cut)", dict(alg=13, ds="none")),
    ("mid.test", "insecure", [], "insecure", "unsigned middle below the TLD (no DS in test), on multi",
     dict(alg=None, servers=["multi"])),
    ("dom.mid.test", "insecure", ["PARENT_UNSIGNED"], "insecure",
     "signed, below the unsigned mid.test on the same server", dict(alg=13, servers=["multi"], ds="none")),
]
CASES += ZONE_CUT_CASES

# ---- issue 20: DS automation (`dnssweep ds-actions`), prefix cds- ----
# Real signed zones whose CDS/CDNSKEY a registrar's CDS scan would act on or refuse. The
# verdicts are the ordinary CDS_* ones; what ds-actions decides from them is checked by
# tests/integration/ds_actions_lab.py (replace, remove, and each refusal's reason).
DS_ACTION_CASES = [
    ("cds-roll.test", "secure", ["CDS_PENDING"], "secure",
     "KSK rollover on two servers: the new KSK (standby) signs the DNSKEY RRset beside the old one; "
     "CDS/CDNSKEY of the new KSK on both, signed by the old (DS) KSK: ds-actions replace",
     dict(alg=13, servers=["child1", "child2"], extra_key=("standby", None), standby_signs=True,
          cds="pending"), [("CDS", "secure"), ("CDNSKEY", "secure")]),
    ("cds-lagging.test", "secure", ["CDS_PENDING"], "secure",
     "as cds-roll, but ns2 still serves the CDS/CDNSKEY of the old KSK (equal to the DS): "
     "ds-actions refuses (CDS_INVALID, inconsistent between servers); a resolver sees either",
     dict(alg=13, servers=["child1", "child2"], extra_key=("standby", None), standby_signs=True,
          cds="pending", alt={"child2": "oldcds"})),
    ("cds-badsig.test", "secure", ["CDS_INVALID", "CDS_PENDING"], "secure",
     "KSK rollover whose CDS/CDNSKEY (of the new KSK) are signed only by the ZSK, a key no DS "
     "authenticates (RFC 7344 4.1): ds-actions refuses (CDS_INVALID)",
     dict(alg=13, extra_key=("standby", None), standby_signs=True, cds="pending",
          cds_signer="zsk")),
    ("cds-orphan.test", "secure", ["CDS_PENDING"], "secure",
     "CDS/CDNSKEY of a published key that signs nothing: a parent following them would orphan "
     "the zone; ds-actions refuses (CDS_INVALID)",
     dict(alg=13, servers=["child1", "child2"], extra_key=("standby", None), cds="pending")),
    ("cds-delete.test", "secure", ["CDS_DELETE"], "secure",
     "RFC 8078 delete (CDS 0 0 0 00 / CDNSKEY 0 3 0 AA==) on a secure domain, two servers: "
     "ds-actions remove",
     dict(alg=13, servers=["child1", "child2"], cds="delete")),
    ("cds-tcp.test", "secure", ["CDS_PENDING"], "secure",
     "as cds-roll, but its second server (mangle8, relaying to child2) answers CDS and CDNSKEY "
     "over TCP with an empty answer: ds-actions refuses (CDS_INVALID, other records over TCP)",
     dict(alg=13, servers=["child1", "mangle8"], extra_key=("standby", None), standby_signs=True,
          cds="pending", mangle="cds_tcp_empty")),
    # RFC 9615 bootstrapping: signed zones without DS whose NS names live in a signalling zone
    ("cds-signal.test", "secure", [], "secure",
     "signed signalling zone: the NS names of cds-boot.test, and its CDS/CDNSKEY as RFC 9615 "
     "signals at _dsboot.cds-boot.test._signal.ns1/ns2.cds-signal.test",
     dict(alg=13, servers=["child1", "child2"], dsboot_for=["cds-boot.test"])),
    ("cds-boot.test", "insecure", ["DNSKEY_WITHOUT_DS"], "insecure",
     "signed, no DS, CDS/CDNSKEY of its KSK; NS names in the signed cds-signal.test, which "
     "carries the matching signals: ds-actions add",
     dict(alg=13, ds="none", cds="match", servers=["child1", "child2"],
          ns=["ns1.cds-signal.test.", "ns2.cds-signal.test."])),
    ("cds-usignal.test", "insecure", [], "insecure",
     "unsigned signalling zone (no DS): the NS names of cds-bootu.test and its signals",
     dict(alg=None, servers=["child1", "child2"], dsboot_for=["cds-bootu.test"])),
    ("cds-bootu.test", "insecure", ["DNSKEY_WITHOUT_DS"], "insecure",
     "as cds-boot, but the signals are in the unsigned cds-usignal.test: nothing proves them, "
     "ds-actions refuses (CDS_INVALID)",
     dict(alg=13, ds="none", cds="match", servers=["child1", "child2"],
          ns=["ns1.cds-usignal.test.", "ns2.cds-usignal.test."])),
]
CASES += DS_ACTION_CASES

# ==== issue 16: one NS name, several addresses (the --servers names query plan) ====
# `one_name`: the zone's only NS name, ns1.<zone>, has one address per server (glue). Under the
# default --servers names every address is asked DNSKEY and SOA and only the lowest address that
# answered SOA the other questions, so these cases show that a bad secondary at an address that
# is not chosen is still caught, that a chosen address which leaves answers out hands over to
# the name's next one, and (srvcaablind.test) what that plan cannot see by design.
SERVERS_PLAN_CASES = [
    ("srvpair.test", "secure", [], "secure",
     "alg 13, one NS name with two addresses (child1, child2), same data: the queries per domain "
     "of both --servers modes are measured on it",
     dict(alg=13, caa=True, servers=["child1", "child2"], one_name=True)),
    ("srvotherkeys.test", "bogus", ["DS_NO_MATCHING_DNSKEY", "NS_INCONSISTENT"], "-",
     "one NS name: child1 good, child2 (the higher address, asked DNSKEY and SOA only under "
     "--servers names) serves the zone signed with other keys",
     dict(alg=13, servers=["child1", "child2"], one_name=True, alt={"child2": "otherkeys"})),
    ("srvstripped.test", "bogus", ["DNSSEC_STRIPPED", "NS_INCONSISTENT"], "-",
     "one NS name: child1 good, child2 (the higher address) serves the DNSKEYs but no RRSIG at all",
     dict(alg=13, servers=["child1", "child2"], one_name=True, alt={"child2": "stripped"})),
    ("srvexpired.test", "bogus", ["NS_INCONSISTENT", "RRSIG_EXPIRED"], "-",
     "one NS name: child1 good, child2 (the higher address) a secondary that stopped refreshing: "
     "the same keys, every signature expired 2 days ago",
     dict(alg=13, servers=["child1", "child2"], one_name=True, alt={"child2": "expired"})),
    ("srvfallback.test", "bogus", ["CAA_BOGUS", "NS_UNREACHABLE"], "secure",
     "one NS name: the lower address (mangle9) answers DNSKEY, SOA and NS but never A, CAA, CDS or "
     "the probe; the higher (manykeys) answers everything, and its CAA RRSIG is corrupted. "
     "CAA_BOGUS is seen only when the name's next address is asked what the first left out",
     dict(alg=13, caa=True, mutate=["corrupt_sig:CAA"], servers=["mangle9", "manykeys"],
          one_name=True, mangle="silent_data")),
    ("srvcaablind.test", "bogus", ["CAA_BOGUS", "NS_INCONSISTENT"], "secure",
     "one NS name: child1 good, the higher address (mangle10) answers CAA with SERVFAIL. Seen by "
     "--servers all; --servers names asks CAA of child1 only and says secure (by design: scan_lab "
     "states it)",
     dict(alg=13, caa=True, servers=["child1", "mangle10"], one_name=True, mangle="caa_servfail")),
]
# Customers of one DNS host whose NS names are out of bailiwick and have no glue: the scan
# resolves ns1/ns2.srvhost.example once, not once per domain (its summary counts the lookups).
SERVERS_PLAN_CASES += [
    ("srvcust%d.test" % i, "secure", [], "secure",
     "signed, at a DNS host: NS ns1.srvhost.example and ns2.srvhost.example (no glue; child1, "
     "child2), shared with the other srvcust domains",
     dict(alg=13, servers=["child1", "child2"], ns=["ns1.srvhost.example.", "ns2.srvhost.example."]))
    for i in range(1, 5)
]
CASES += SERVERS_PLAN_CASES

# ==== issue 17: internationalised names (IDN), prefix xn-- ====
# Zones whose label is an IDNA A-label: `dnssweep check` takes the U-label (bücher.test), scans
# the A-label and shows both; the fix texts and the graph carry the domain's name. Built like
# any other zone (the A-label is plain ASCII to ldns-signzone and NSD).
IDN_CASES = [
    ("xn--bcher-kva.test", "secure", [], "secure",
     "IDN (U-label: bucher.test with u-umlaut): alg 13 KSK+ZSK, NSEC, apex A and CAA",
     dict(alg=13, caa=True)),
    ("xn--mnchen-3ya.test", "bogus", ["DS_NO_MATCHING_DNSKEY"], "servfail",
     "IDN (U-label: munchen.test with u-umlaut): DS of an unpublished key; its fix names the A-label",
     dict(alg=13, ds="other")),
]
CASES += IDN_CASES

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
