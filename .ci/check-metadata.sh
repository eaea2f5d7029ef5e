#!/usr/bin/env bash
# The metadata of a release as a portal reads it: publishes the shipped
# example into a temporary folder, parses dcat.ttl with raptor's rapper and
# both dcat.ttl and dcat.jsonld with rdflib (JSON-LD with the inline context,
# no network) and compares the two graphs, and checks every resource of
# datapackage.json against its file. Needs the Debian packages raptor2-utils
# and python3-rdflib.
set -euo pipefail
cd "$(dirname "$0")/.."

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
go run ./cmd/aktionsplan run --out "$out" >/dev/null
cur="$out/current"

count=$(rapper -c -i turtle "$cur/dcat.ttl" 2>&1) || { echo "$count"; exit 1; }
echo "dcat.ttl: ${count##*$'\n'}"

/usr/bin/python3 - "$cur" <<'PY'
import hashlib, json, os, sys

import rdflib
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

cur = sys.argv[1]
ttl = rdflib.Graph().parse(os.path.join(cur, "dcat.ttl"), format="turtle")
jsonld = rdflib.Graph().parse(os.path.join(cur, "dcat.jsonld"), format="json-ld")
if not isomorphic(ttl, jsonld):
    _, only_ttl, only_jsonld = graph_diff(to_isomorphic(ttl), to_isomorphic(jsonld))
    for t in sorted(only_ttl):
        print("only in dcat.ttl:", t)
    for t in sorted(only_jsonld):
        print("only in dcat.jsonld:", t)
    sys.exit("dcat.ttl and dcat.jsonld carry different triples")
DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")
datasets = len(set(ttl.subjects(rdflib.RDF.type, DCAT.Dataset)))
dists = len(set(ttl.subjects(rdflib.RDF.type, DCAT.Distribution)))
print(f"rdflib: {len(ttl)} triples in dcat.ttl and dcat.jsonld, the same graph; {datasets} datasets, {dists} distributions")

with open(os.path.join(cur, "datapackage.json"), encoding="utf-8") as f:
    pkg = json.load(f)
for r in pkg["resources"]:
    with open(os.path.join(cur, r["path"]), "rb") as f:
        data = f.read()
    if r["bytes"] != len(data) or r["hash"] != "sha256:" + hashlib.sha256(data).hexdigest():
        sys.exit(f"datapackage.json: resource {r['name']} does not match {r['path']}")
print(f"datapackage.json: {len(pkg['resources'])} resources match their files")
PY

# json-gold reads dcat.jsonld in a Go test once go.sum has the modules its
# ld package imports.
if grep -q '^github.com/cayleygraph/quad ' go.sum; then
  AKTIONSPLAN_REQUIRE_TOOLS=1 go test -count=1 -tags jsonld -run 'JSONLD|Turtle' ./outputs/dcat
else
  echo "json-gold test skipped: go.sum lacks github.com/cayleygraph/quad"
fi
