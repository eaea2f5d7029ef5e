package gpkg

import (
	"fmt"
	"strings"

	"github.com/paulmach/orb"

	"aktionsplan/pipeline"
)

// statement is one SQL statement with its arguments.
type statement struct {
	sql  string
	args []any
}

// wgs84WKT is the definition of EPSG:4326 as GDAL registers it.
const wgs84WKT = `GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AXIS["Latitude",NORTH],AXIS["Longitude",EAST],AUTHORITY["EPSG","4326"]]`

// schema is the statements that create a GeoPackage with the feature table
// of ds, whose columns have the given SQL types. The table definitions of
// the gpkg_ tables are those of the standard (Annex C).
func schema(ds *pipeline.Dataset, types []string) []statement {
	identifier := ds.Title
	if identifier == "" {
		identifier = ds.Name
	}
	return []statement{
		{sql: fmt.Sprintf("PRAGMA application_id = %d", applicationID)},
		{sql: fmt.Sprintf("PRAGMA user_version = %d", userVersion)},
		{sql: `CREATE TABLE gpkg_spatial_ref_sys (
  srs_name TEXT NOT NULL,
  srs_id INTEGER NOT NULL PRIMARY KEY,
  organization TEXT NOT NULL,
  organization_coordsys_id INTEGER NOT NULL,
  definition TEXT NOT NULL,
  description TEXT
)`},
		{sql: `INSERT INTO gpkg_spatial_ref_sys VALUES
  ('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', 'undefined cartesian coordinate reference system'),
  ('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', 'undefined geographic coordinate reference system'),
  ('WGS 84 geodetic', 4326, 'EPSG', 4326, ?, 'longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid')`,
			args: []any{wgs84WKT}},
		{sql: `CREATE TABLE gpkg_contents (
  table_name TEXT NOT NULL PRIMARY KEY,
  data_type TEXT NOT NULL,
  identifier TEXT UNIQUE,
  description TEXT DEFAULT '',
  last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  min_x DOUBLE,
  min_y DOUBLE,
  max_x DOUBLE,
  max_y DOUBLE,
  srs_id INTEGER,
  CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id)
)`},
		{sql: `INSERT INTO gpkg_contents (table_name, data_type, identifier, description, last_change, srs_id)
  VALUES (?, 'features', ?, ?, ?, ?)`,
			args: []any{ds.Name, identifier, ds.Description, lastChange, srsID}},
		{sql: `CREATE TABLE gpkg_geometry_columns (
  table_name TEXT NOT NULL,
  column_name TEXT NOT NULL,
  geometry_type_name TEXT NOT NULL,
  srs_id INTEGER NOT NULL,
  z TINYINT NOT NULL,
  m TINYINT NOT NULL,
  CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
  CONSTRAINT uk_gc_table_name UNIQUE (table_name),
  CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
  CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id)
)`},
		{sql: `INSERT INTO gpkg_geometry_columns VALUES (?, ?, 'MULTIPOLYGON', ?, 0, 0)`,
			args: []any{ds.Name, geomColumn, srsID}},
		{sql: featureTable(ds, types)},
		// The R-tree spatial index extension (standard, Annex F.3).
		{sql: `CREATE TABLE gpkg_extensions (
  table_name TEXT,
  column_name TEXT,
  extension_name TEXT NOT NULL,
  definition TEXT NOT NULL,
  scope TEXT NOT NULL,
  CONSTRAINT ge_tce UNIQUE (table_name, column_name, extension_name)
)`},
		{sql: `INSERT INTO gpkg_extensions VALUES (?, ?, 'gpkg_rtree_index', 'http://www.geopackage.org/spec120/#extension_rtree', 'write-only')`,
			args: []any{ds.Name, geomColumn}},
		{sql: "CREATE VIRTUAL TABLE " + quote(rtree(ds)) + " USING rtree(id, minx, maxx, miny, maxy)"},
		// GDAL's feature count, read instead of counting the rows.
		{sql: `CREATE TABLE gpkg_ogr_contents (
  table_name TEXT NOT NULL PRIMARY KEY,
  feature_count INTEGER DEFAULT NULL
)`},
	}
}

// featureTable is the CREATE TABLE of ds's features: the feature id, the
// geometry and a typed column per published column, in the dataset's order.
func featureTable(ds *pipeline.Dataset, types []string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "CREATE TABLE %s (\n  fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,\n  %s MULTIPOLYGON", quote(ds.Name), quote(geomColumn))
	for i, c := range ds.Columns {
		fmt.Fprintf(&b, ",\n  %s %s", quote(c.Name), types[i])
	}
	b.WriteString("\n)")
	return b.String()
}

// rtree is the name of the R-tree index of ds's geometry column.
func rtree(ds *pipeline.Dataset) string {
	return "rtree_" + ds.Name + "_" + geomColumn
}

// summary is the statements that record what is known after the last row:
// the extent of the features and their count, and the triggers with which
// GIS software keeps the count and the spatial index when the file is
// edited. The index triggers are those of the standard (Annex F.3, as GDAL
// writes them); they call functions that GIS software registers, so they are
// created after the last row.
func summary(ds *pipeline.Dataset, n int, bound orb.Bound) []statement {
	var out []statement
	if !bound.IsEmpty() {
		out = append(out, statement{
			sql:  "UPDATE gpkg_contents SET min_x = ?, min_y = ?, max_x = ?, max_y = ? WHERE table_name = ?",
			args: []any{bound.Min[0], bound.Min[1], bound.Max[0], bound.Max[1], ds.Name},
		})
	}
	table := quote(ds.Name)
	lit := "'" + strings.ReplaceAll(ds.Name, "'", "''") + "'"
	idx, geom, fid := quote(rtree(ds)), quote(geomColumn), `"fid"`
	r := strings.NewReplacer("{idx}", idx, "{table}", table, "{geom}", geom, "{fid}", fid)
	insertBox := `INSERT OR REPLACE INTO {idx} VALUES (NEW.{fid}, ST_MinX(NEW.{geom}), ST_MaxX(NEW.{geom}), ST_MinY(NEW.{geom}), ST_MaxY(NEW.{geom}));`
	for _, tr := range []struct{ suffix, def string }{
		{"insert", `AFTER INSERT ON {table} WHEN (NEW.{geom} NOT NULL AND NOT ST_IsEmpty(NEW.{geom})) BEGIN ` + insertBox + ` END`},
		{"update1", `AFTER UPDATE OF {geom} ON {table} WHEN OLD.{fid} = NEW.{fid} AND (NEW.{geom} NOTNULL AND NOT ST_IsEmpty(NEW.{geom})) BEGIN ` + insertBox + ` END`},
		{"update2", `AFTER UPDATE OF {geom} ON {table} WHEN OLD.{fid} = NEW.{fid} AND (NEW.{geom} ISNULL OR ST_IsEmpty(NEW.{geom})) BEGIN DELETE FROM {idx} WHERE id = OLD.{fid}; END`},
		{"update3", `AFTER UPDATE ON {table} WHEN OLD.{fid} != NEW.{fid} AND (NEW.{geom} NOTNULL AND NOT ST_IsEmpty(NEW.{geom})) BEGIN DELETE FROM {idx} WHERE id = OLD.{fid}; ` + insertBox + ` END`},
		{"update4", `AFTER UPDATE ON {table} WHEN OLD.{fid} != NEW.{fid} AND (NEW.{geom} ISNULL OR ST_IsEmpty(NEW.{geom})) BEGIN DELETE FROM {idx} WHERE id IN (OLD.{fid}, NEW.{fid}); END`},
		{"delete", `AFTER DELETE ON {table} WHEN OLD.{geom} NOT NULL BEGIN DELETE FROM {idx} WHERE id = OLD.{fid}; END`},
	} {
		out = append(out, statement{sql: "CREATE TRIGGER " + quote(rtree(ds)+"_"+tr.suffix) + " " + r.Replace(tr.def)})
	}
	return append(out,
		statement{sql: "INSERT INTO gpkg_ogr_contents VALUES (?, ?)", args: []any{ds.Name, n}},
		statement{sql: fmt.Sprintf(`CREATE TRIGGER %s AFTER INSERT ON %s BEGIN UPDATE gpkg_ogr_contents SET feature_count = feature_count + 1 WHERE lower(table_name) = lower(%s); END`,
			quote("trigger_insert_feature_count_"+ds.Name), table, lit)},
		statement{sql: fmt.Sprintf(`CREATE TRIGGER %s AFTER DELETE ON %s BEGIN UPDATE gpkg_ogr_contents SET feature_count = feature_count - 1 WHERE lower(table_name) = lower(%s); END`,
			quote("trigger_delete_feature_count_"+ds.Name), table, lit)},
	)
}
