#!/usr/bin/env python3
"""x509-limbo.py - run the x509-limbo conformance suite through `mtls verify`.

x509-limbo (https://github.com/C2SP/x509-limbo) is a public suite of X.509
path validation cases: a trust anchor set, intermediates, a peer
certificate, a time, and whether a validator must accept or reject. This
script runs each case that a client certificate validator can answer
through `mtls verify`, exactly as a login would ask, and compares:

  agree accept    limbo expects SUCCESS, mtls accepts
  agree reject    limbo expects FAILURE, mtls rejects
  WRONG ACCEPT    limbo expects FAILURE, mtls accepts (the defect that matters)
  wrong reject    limbo expects SUCCESS, mtls rejects (stricter, or a bug)
  by policy       a disagreement that is a documented choice of mtls-auth
  not applicable  the case asks what a login never asks (a host name, a
                  Web PKI rule for servers); the reason is printed

A disagreement that is a deliberate policy of mtls-auth (see "Where the
policy is stricter than RFC 5280" in mtls.conf(5)) is listed as "by
policy", with the reason, not as a WRONG ACCEPT or wrong reject.

Usage: scripts/x509-limbo.py [--mtls PATH] [--only GLOB] [--verbose] LIMBO_JSON

LIMBO_JSON is limbo.json from the x509-limbo repository (or `limbo compile`).
The script needs no network and writes only into a temporary directory.
It exits 1 when any case is a WRONG ACCEPT, or an unexplained wrong reject,
and 2 when mtls cannot be run.
"""

import argparse
import collections
import datetime
import fnmatch
import hashlib
import json
import os
import shutil
import ssl
import subprocess
import sys
import tempfile

# Cases whose verdict depends on what a login never checks. Each entry is a
# glob over case ids and the reason. Checked before anything is run.
NOT_APPLICABLE = [
    ("webpki::san::*", "host name matching against subjectAltName"),
    ("webpki::cn::*", "host name matching against the commonName"),
    ("webpki::malformed-aia", "Web PKI rule for server certificates"),
    ("webpki::aki::root-with-aki-*",
        "CA/Browser Forum rule for the key identifiers of Web PKI roots"),
    ("webpki::forbidden-dsa-root", "CA/Browser Forum key types; DSA keys "
        "up to 3072 bits are accepted (mtls.conf(5))"),
    ("webpki::forbidden-rsa-not-divisible-by-8-in-root",
        "CA/Browser Forum rule on RSA modulus sizes"),
    ("rfc5280::nc::*-peer-name-*", "host name matching"),
    ("online::*", "real web servers, checked by host name"),
    ("bettertls::*", "host name matching and name constraints on it"),
]

# Features (limbo's tags) that only a Web PKI server validator checks.
NOT_APPLICABLE_FEATURES = {
    "pedantic-webpki-subscriber-key": "CA/Browser Forum key rule for servers",
    "pedantic-webpki-eku": "CA/Browser Forum EKU rule for servers",
    "pedantic-public-suffix-wildcard": "wildcard host names",
}

# Disagreements that are deliberate, a glob over case ids and the reason:
# mostly where mtls-auth is stricter on purpose (mtls.conf(5), "Where the
# policy is stricter than RFC 5280"), and an accept that limbo itself
# calls technically valid.
DELIBERATE = [
    ("pathlen::validation-ignores-pathlen-in-leaf",
        "a CA certificate is never a client certificate (leaf-is-ca)"),
    ("rfc5280::ca-as-leaf",
        "a CA certificate is never a client certificate (leaf-is-ca)"),
    ("pathlen::max-chain-depth-1-self-issued",
        "policy.max_depth bounds every CA certificate above the client "
        "certificate, self-issued ones too: it bounds work"),
    ("pathological::nc-dos-3",
        "the many names are emailAddress attributes of the subject, which "
        "the CA's dNSName constraints do not limit, nor its commonName "
        "(RFC 5280 4.2.1.10): nothing is compared, so there is no work to "
        "bound; limbo calls the path technically valid"),
    ("rfc5280::aki::cross-signed-root-missing-aki",
        "a trust anchor's issuer is never looked for, so its authority key "
        "identifier is not required (limbo's cve::cve-2024-0567 expects the "
        "same of its anchor)"),
    ("rfc5280::root-non-critical-basic-constraints",
        "a CA's basicConstraints CA:TRUE is read and applied, critical or "
        "not, as RFC 5280 6.1.4 (k) asks: easy-rsa's roots and sub-CAs and "
        "OpenSSL 1.0's roots mark it non-critical"),
    ("rfc5280::ski::root-missing-ski",
        "a trust anchor's subject key identifier is not required: its "
        "issuer is never looked for, and OpenSSL 1.x's roots may lack one"),
    ("rfc5280::nc::permitted-dns-match-noncritical",
        "nameConstraints not marked critical are applied, as RFC 5280 6.1.4 "
        "(g) processes them if present, and the leaf is within them; "
        "refusing the CA would accept nothing more safely (limbo's webpki:: "
        "case of the same name expects the accept)"),
    ("rfc5280::pc::ica-noncritical-pc",
        "policyConstraints and inhibitAnyPolicy not marked critical are "
        "applied, as RFC 5280 6.1.4 (i), (j) and 6.1.5 (b) process them if "
        "present, and this path meets them (its requireExplicitPolicy 3 "
        "is never reached); refusing the CA would accept nothing more "
        "safely"),
    ("rfc5280::san::ip-in-dns",
        "an IPv4 address written as a dNSName is refused only below a CA "
        "with dNSName or iPAddress name constraints, where it would escape "
        "them; a DNS name decides nothing else in a client certificate, "
        "and devices' certificates carry such names"),
    ("rfc5280::san::underscore-dns",
        "a dNSName may hold '_', as Windows host names do: a DNS name "
        "authenticates no one in a client certificate, and name "
        "constraints compare '_' as any other character"),
    ("webpki::v1-cert",
        "a client certificate before v3 is accepted with a note unless "
        "policy.require_v3 is set; the Web PKI requires v3"),
]

EKU_PURPOSE = {"clientAuth": "client", "serverAuth": "server"}


def applicability(case):
    """Why a case does not apply, or None when it does."""
    for pattern, why in NOT_APPLICABLE:
        if fnmatch.fnmatchcase(case["id"], pattern):
            return why
    for feature in case.get("features") or []:
        if feature in NOT_APPLICABLE_FEATURES:
            return NOT_APPLICABLE_FEATURES[feature]
    if case.get("signature_algorithms"):
        return "a caller-chosen set of signature algorithms"
    ekus = case.get("extended_key_usage") or []
    if len(ekus) > 1 or any(e not in EKU_PURPOSE for e in ekus):
        return "an extended key usage other than clientAuth or serverAuth"
    for usage in case.get("key_usage") or []:
        if usage != "digitalSignature":
            return "a key usage other than digitalSignature"
    return None


def deliberate(case_id):
    for pattern, why in DELIBERATE:
        if fnmatch.fnmatchcase(case_id, pattern):
            return why
    return None


def fingerprint(pem):
    der = ssl.PEM_cert_to_DER_cert(pem)
    digest = hashlib.sha256(der).hexdigest().upper()
    return ":".join(digest[i:i + 2] for i in range(0, len(digest), 2))


def write(path, text):
    with open(path, "w") as f:
        f.write(text)
    return path


def run_case(mtls, case, workdir):
    """Verify one case; return (accepted, reason, explanation)."""
    for name in os.listdir(workdir):
        os.unlink(os.path.join(workdir, name))
    ca = write(os.path.join(workdir, "ca.pem"), "".join(case["trusted_certs"]))
    leaf = write(os.path.join(workdir, "leaf.pem"), case["peer_certificate"])
    # Any certificate maps to one user: identity mapping is not tested here.
    try:
        mapping = "%s limbo\n" % fingerprint(case["peer_certificate"])
    except ValueError:
        mapping = "# the peer certificate is no PEM certificate\n"
    mapfile = write(os.path.join(workdir, "fp.map"), mapping)
    ekus = case.get("extended_key_usage") or []
    purpose = EKU_PURPOSE[ekus[0]] if ekus else "any"
    policy = 'purpose = "%s";' % purpose
    if case.get("max_chain_depth") is not None:
        # limbo counts intermediates, policy.max_depth counts every CA
        # above the client certificate, the trust anchor included.
        depth = min(max(case["max_chain_depth"] + 1, 1), 16)
        policy += " max_depth = %d;" % depth
    config = write(os.path.join(workdir, "mtls.conf"),
        'ca_file = "%s";\naudit = false;\npolicy = { %s };\n'
        'identity = { map = "fingerprint"; map_file = "%s"; };\n'
        % (ca, policy, mapfile))
    argv = [mtls, "verify", "--config", config, "--json", "--no-ocsp"]
    if case["untrusted_intermediates"]:
        argv += ["--untrusted", write(os.path.join(workdir, "untrusted.pem"),
            "".join(case["untrusted_intermediates"]))]
    if case.get("crls"):
        argv += ["--crl", write(os.path.join(workdir, "crl.pem"),
            "".join(case["crls"]))]
    if case.get("validation_time"):
        when = datetime.datetime.fromisoformat(
            case["validation_time"].replace("Z", "+00:00"))
        argv += ["--at", "@%d" % int(when.timestamp())]
    argv.append(leaf)
    try:
        proc = subprocess.run(argv, capture_output=True, text=True,
            timeout=60)
    except subprocess.TimeoutExpired:
        return False, "timeout", "mtls verify ran for more than 60 seconds"
    if proc.returncode == 2:
        # A configuration mtls refuses to load (a trust anchor it refuses)
        # accepts nothing: a rejection, but say so.
        return False, "config-error", proc.stderr.strip()
    try:
        verdict = json.loads(proc.stdout)
    except ValueError:
        return False, "no-verdict", "exit %d: %s" % (proc.returncode,
            proc.stderr.strip())
    accepted = verdict["verdict"] == "accepted"
    if proc.returncode != (0 if accepted else 1):
        # such as a sanitizer's report after the verdict: not an answer
        return False, "exit-%d" % proc.returncode, "verdict %s, then: %s" % (
            verdict["verdict"], proc.stderr.strip()[:400])
    return accepted, verdict["reason"], verdict.get("explanation") or ""


def namespace(case_id):
    return case_id.split("::")[0] + "::"


CATEGORIES = ["agree accept", "agree reject", "WRONG ACCEPT", "wrong reject",
    "by policy", "not applicable"]


def main():
    parser = argparse.ArgumentParser(
        description="Run x509-limbo through mtls verify.")
    parser.add_argument("limbo", help="limbo.json of x509-limbo")
    parser.add_argument("--mtls", default=None,
        help="the mtls command (default: build/cli/mtls, else mtls)")
    parser.add_argument("--only", default="*",
        help="run only the cases whose id matches this glob")
    parser.add_argument("--verbose", action="store_true",
        help="print every case, not only disagreements")
    args = parser.parse_args()

    mtls = args.mtls
    if mtls is None:
        here = os.path.join(os.path.dirname(os.path.abspath(__file__)),
            "..", "build", "cli", "mtls")
        mtls = here if os.access(here, os.X_OK) else "mtls"
    if shutil.which(mtls) is None:
        print("x509-limbo.py: no mtls command at %s: build it "
            "(cmake --build build) or give --mtls PATH" % mtls,
            file=sys.stderr)
        return 2

    with open(args.limbo) as f:
        cases = json.load(f)["testcases"]

    counts = collections.defaultdict(collections.Counter)
    failed = False
    with tempfile.TemporaryDirectory(prefix="x509-limbo.") as workdir:
        for case in cases:
            cid = case["id"]
            if not fnmatch.fnmatchcase(cid, args.only):
                continue
            expect = case["expected_result"] == "SUCCESS"
            why = applicability(case)
            if why is not None:
                category, detail = "not applicable", why
            else:
                accepted, reason, explanation = run_case(mtls, case, workdir)
                detail = reason if accepted else "%s: %s" % (reason,
                    explanation)
                if accepted == expect:
                    category = "agree accept" if accepted else "agree reject"
                elif deliberate(cid) is not None:
                    category = "by policy"
                    detail = "%s (%s)" % (detail, deliberate(cid))
                else:
                    category = "WRONG ACCEPT" if accepted else "wrong reject"
                    failed = True
            counts[namespace(cid)][category] += 1
            counts["total"][category] += 1
            if args.verbose or category in ("WRONG ACCEPT", "wrong reject",
                    "by policy"):
                print("%-14s %s\n    %s" % (category, cid, detail))

    print()
    header = ["namespace"] + CATEGORIES
    print("| " + " | ".join(header) + " |")
    print("|" + " --- |" * len(header))
    for ns in sorted(k for k in counts if k != "total") + ["total"]:
        row = [ns] + [str(counts[ns][c]) for c in CATEGORIES]
        print("| " + " | ".join(row) + " |")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
