#!/usr/bin/env bash
# Runs the shipped example and opens the GeoPackage and the UTM 32 GeoJSON
# with GDAL, as QGIS would: 13 features with typed fields, the SRS, the
# extent, no warning, GDAL's validator of the standard; and ogr2ogr's GeoJSON
# of each equals our aktionsraeume.geojson in properties and geometry. Needs
# gdal-bin, python3 and python3-gdal.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

go run ./cmd/aktionsplan run --out "$tmp/pub" >/dev/null
cur="$tmp/pub/current"
fail=0

# expect TEXT REGEX...: every regex must match a line of TEXT.
expect() {
  local text=$1; shift
  for re in "$@"; do
    if ! grep -qE "$re" <<<"$text"; then echo "ogrinfo: expected /$re/"; fail=1; fi
  done
}

echo "== aktionsraeume.gpkg"
info=$(ogrinfo -ro -so "$cur/aktionsraeume.gpkg" aktionsraeume 2>"$tmp/stderr")
if [ -s "$tmp/stderr" ]; then echo "ogrinfo wrote to stderr:"; cat "$tmp/stderr"; fail=1; fi
expect "$info" "using driver \`GPKG' successful" '^Geometry: Multi Polygon$' '^Feature Count: 13$' \
  'ID\["EPSG",4326\]' '^Extent: \(7\.[0-9]+, 51\.[0-9]+\) - \(7\.[0-9]+, 51\.[0-9]+\)$' '^FID Column = fid$'
for f in flaeche_km2 anteil_unter_18_pct kinderarmut_pct fonds_bewilligt_eur fonds_rest_eur; do expect "$info" "^$f: Real "; done
for f in einwohner kennzahlen_jahr fonds_jahr fonds_anzahl_massnahmen; do expect "$info" "^$f: Integer(64)? "; done
for f in code name betreuung; do expect "$info" "^$f: String "; done
expect "$info" '^fonds_ueberschritten: Integer\(Boolean\) '
if [ "$fail" -ne 0 ]; then echo "$info"; exit 1; fi
echo "ogrinfo: 13 features, typed fields, EPSG:4326, extent, nothing on stderr"

# GDAL's validator of the standard's requirements, with its extra checks of
# every row (Debian package python3-gdal).
validator=/usr/lib/python3/dist-packages/osgeo_utils/samples/validate_gpkg.py
if [ -f "$validator" ]; then
  /usr/bin/python3 "$validator" -k --extra --warning-as-error "$cur/aktionsraeume.gpkg"
  echo "validate_gpkg.py: no errors, no warnings"
elif [ "${AKTIONSPLAN_REQUIRE_TOOLS:-}" = 1 ]; then
  echo "validate_gpkg.py missing: install python3-gdal"; exit 1
else
  echo "validate_gpkg.py skipped: python3-gdal not installed"
fi

# The bytes depend on the input only: a second run gives the same file.
sleep 1 # a run id per second
go run ./cmd/aktionsplan run --force --out "$tmp/pub" >/dev/null
sums=$(sha256sum "$tmp"/pub/releases/*/aktionsraeume.gpkg | cut -d' ' -f1 | sort -u | wc -l)
[ "$sums" -eq 1 ] || { echo "aktionsraeume.gpkg differs between two runs"; exit 1; }

ogr2ogr -f GeoJSON "$tmp/from_gpkg.geojson" "$cur/aktionsraeume.gpkg" aktionsraeume 2>"$tmp/stderr"
if [ -s "$tmp/stderr" ]; then echo "ogr2ogr wrote to stderr:"; cat "$tmp/stderr"; exit 1; fi
/usr/bin/python3 .ci/check_gpkg.py "$cur/aktionsraeume.geojson" "$tmp/from_gpkg.geojson" 1e-7

echo "== aktionsraeume_utm32.geojson"
info=$(ogrinfo -ro -so -al "$cur/aktionsraeume_utm32.geojson" 2>"$tmp/stderr")
if [ -s "$tmp/stderr" ]; then echo "ogrinfo wrote to stderr:"; cat "$tmp/stderr"; fail=1; fi
expect "$info" '^Feature Count: 13$' 'ID\["EPSG",25832\]' '^fonds_ueberschritten: Integer\(Boolean\) '
# Dortmund in metres: eastings around 390,000, northings around 5,700,000.
extent=$(grep -E '^Extent: ' <<<"$info" || true)
if ! awk -v e="$extent" 'BEGIN {
    n = split(e, v, /[^0-9.]+/)
    # v[2..5] are minx, miny, maxx, maxy
    exit !(v[2] > 370000 && v[4] < 420000 && v[3] > 5690000 && v[5] < 5730000 && v[2] < v[4] && v[3] < v[5])
  }'; then
  echo "ogrinfo: extent of the UTM file is not Dortmund in metres: $extent"; fail=1
fi
if [ "$fail" -ne 0 ]; then echo "$info"; exit 1; fi
echo "ogrinfo: 13 features, EPSG:25832, $extent"
# GDAL (PROJ) transforms our UTM positions back to WGS84: within 2 cm (the
# UTM file is rounded to the centimetre, 1e-7 degrees are about 1 cm).
ogr2ogr -f GeoJSON -t_srs EPSG:4326 "$tmp/from_utm.geojson" "$cur/aktionsraeume_utm32.geojson" 2>"$tmp/stderr"
if [ -s "$tmp/stderr" ]; then echo "ogr2ogr wrote to stderr:"; cat "$tmp/stderr"; exit 1; fi
/usr/bin/python3 .ci/check_gpkg.py "$cur/aktionsraeume.geojson" "$tmp/from_utm.geojson" 3e-7
