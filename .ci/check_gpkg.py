"""Compares the areas as GDAL reads them from the GeoPackage (converted with
ogr2ogr -f GeoJSON) and the UTM file (converted to WGS84 with ogr2ogr) with
the published aktionsraeume.geojson.

Usage: check_gpkg.py PUBLISHED.geojson FROM_GPKG.geojson TOLERANCE_DEGREES

Every feature must be present once, with the same properties (numbers equal,
booleans as booleans, dates as text) and the same rings, position by
position, within the tolerance.
"""
import json
import sys


def fail(msg):
    print("check_gpkg: " + msg)
    sys.exit(1)


def polygons(geom, where):
    if geom is None:
        return []
    if geom["type"] == "Polygon":
        return [geom["coordinates"]]
    if geom["type"] == "MultiPolygon":
        return geom["coordinates"]
    fail(f"{where}: geometry {geom['type']}")


def by_code(path):
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    out = {}
    for feat in doc["features"]:
        code = feat["properties"]["code"]
        if code in out:
            fail(f"{path}: code {code} twice")
        out[code] = feat
    return out


def main():
    ours_path, theirs_path, tol = sys.argv[1], sys.argv[2], float(sys.argv[3])
    ours, theirs = by_code(ours_path), by_code(theirs_path)
    if sorted(ours) != sorted(theirs):
        fail(f"codes differ: {sorted(ours)} and {sorted(theirs)}")
    worst = 0.0
    for code, a in ours.items():
        b = theirs[code]
        pa, pb = a["properties"], b["properties"]
        if list(pa) != list(pb):
            fail(f"{code}: properties {list(pb)}, want {list(pa)}")
        for k, v in pa.items():
            w = pb[k]
            if type(v) is not type(w) and not (isinstance(v, (int, float)) and isinstance(w, (int, float)) and not isinstance(w, bool)):
                fail(f"{code}.{k}: {w!r} ({type(w).__name__}), want {v!r} ({type(v).__name__})")
            if v != w:
                fail(f"{code}.{k}: {w!r}, want {v!r}")
        ga, gb = polygons(a["geometry"], code), polygons(b["geometry"], code)
        if len(ga) != len(gb):
            fail(f"{code}: {len(gb)} polygons, want {len(ga)}")
        for i, (ra, rb) in enumerate(zip(ga, gb)):
            if len(ra) != len(rb):
                fail(f"{code}: polygon {i+1} has {len(rb)} rings, want {len(ra)}")
            for k, (ringa, ringb) in enumerate(zip(ra, rb)):
                if len(ringa) != len(ringb):
                    fail(f"{code}: polygon {i+1}, ring {k+1} has {len(ringb)} positions, want {len(ringa)}")
                for pa_, pb_ in zip(ringa, ringb):
                    d = max(abs(pa_[0] - pb_[0]), abs(pa_[1] - pb_[1]))
                    worst = max(worst, d)
                    if d > tol:
                        fail(f"{code}: position {pb_}, want {pa_} (difference {d:.3g} > {tol:g})")
    print(f"check_gpkg: {theirs_path}: {len(ours)} features equal in properties; positions within {worst:.2g} degrees")


main()
