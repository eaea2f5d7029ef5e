#!/usr/bin/env bash
# Runs the shipped example and opens what it publishes with the clients our
# users have: GDAL's ogrinfo for the GeoJSON, openpyxl for the XLSX, Python's
# csv module in strict mode for the CSV. Needs gdal-bin and python3-openpyxl.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

go build -o "$tmp/aktionsplan" ./cmd/aktionsplan
(cd "$tmp" && ./aktionsplan run --out pub >/dev/null)
cur="$tmp/pub/current"

info=$(ogrinfo -ro -so -al "$cur/aktionsraeume.geojson")
fail=0
expect() {
  if ! grep -qE "$1" <<<"$info"; then echo "ogrinfo: expected /$1/"; fail=1; fi
}
expect '^Feature Count: 13$'
expect '^Geometry: (Multi )?Polygon$'
expect 'ID\["EPSG",4326\]'
for f in flaeche_km2 anteil_unter_18_pct kinderarmut_pct fonds_bewilligt_eur fonds_rest_eur; do expect "^$f: Real"; done
for f in einwohner kennzahlen_jahr fonds_jahr fonds_anzahl_massnahmen; do expect "^$f: Integer"; done
for f in code name betreuung; do expect "^$f: String"; done
if [ "$fail" -ne 0 ]; then echo "$info"; exit 1; fi
# Every feature must be readable with its geometry and the id as the code.
ogrinfo -ro -al -q "$cur/aktionsraeume.geojson" | grep -c 'POLYGON' | grep -qx 13 || { echo "ogrinfo: not 13 polygons"; exit 1; }
echo "ogrinfo: 13 features, numeric fields typed as Real/Integer"

/usr/bin/python3 .ci/check_outputs.py "$cur"
