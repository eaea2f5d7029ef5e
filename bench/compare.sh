#!/usr/bin/env bash
# Compares aktionsplan with the tools a GIS analyst would otherwise script,
# on the same data, run alternately, several times:
#
#   ours           the whole `aktionsplan run` (built binary): read, validate,
#                  join, every output format, publish
#   ours-geojson   our stages that match the join anchors: read the
#                  boundaries, join, encode aktionsraeume.geojson (from
#                  `run --verbose`)
#   ours-join-write  the join and the encoding of aktionsraeume.geojson,
#                  without reading the boundaries (from `run --verbose`:
#                  wall times while other encoders share the two cores)
#   ours-join-write-alone  the same two steps alone: the time per area of
#                  the Go benchmarks of the join and of the GeoJSON encoder
#                  (median of 5), times the areas of the size
#   ours-ledger    our reading of the fund usage (from `run --verbose`),
#                  for its time per fund row; on two cores it shares them
#                  with the key figures and the boundaries, which grow with
#                  the areas, not the rows
#   ours-serial    the whole `run --serial`: the inputs read one after
#                  another
#   ours-ledger-serial  its reading of the fund usage: the time per fund
#                  row of the fund usage alone (with its own files' encoders).
#                  Each L round also runs M serially, and a line after the
#                  L table gives the ratio of the time per row of L to that of
#                  M in the same round, which the machine's drift between the
#                  M and the L part of a run does not move
#   ours-xlsx      our encoding of kennzahlen.xlsx (from `run --verbose`)
#   mapshaper      mapshaper -join of the latest key figures (one row per
#                  area, 7 columns) onto the boundaries, to GeoJSON
#   ogr-join       ogr2ogr, SQLite dialect, the same join to GeoJSON, with the
#                  key figures materialised beforehand (outside the timing) in
#                  a SQLite file with a unique index on the code: joined to
#                  the CSV directly, the dialect scans it once per area
#                  (5 minutes for L)
#   ogr-xlsx       ogr2ogr of the published key figures CSV to XLSX
#
# Workloads: S (the Dortmund example), M (2,000 areas, 100,000 fund rows),
# L (50,000 areas, 1,000,000 fund rows). It prints a table of medians (wall
# time, CPU time, peak memory from GNU time), the ratio to mapshaper (joins)
# or ogr2ogr (XLSX), and our time per area and per fund row.
#
# Two ratios: that of the medians, and the median of the ratios of each of
# our runs to the anchor's run in the same round ("pair ratio"), which
# follows it within seconds. On a machine shared with other work the speed
# drifts within a run of the script (the same binary's CPU time on L has
# moved by half from one round to the next); the runs of a round are the
# closest in time, so the pair ratio is the steadier of the two.
#
# Environment: SIZES (default "S M L"), RUNS_S, RUNS_M (default 5), RUNS_L
# (default 3), WORK (default bench/.work). Installs mapshaper (npm, into
# bench/.tools), gdal-bin and time (apt) when missing.
set -euo pipefail

cd "$(dirname "$0")/.."
SIZES=${SIZES:-"S M L"}
RUNS_S=${RUNS_S:-5}
RUNS_M=${RUNS_M:-5}
RUNS_L=${RUNS_L:-3}
WORK=${WORK:-bench/.work}
TOOLS=bench/.tools
MAPSHAPER_VERSION=${MAPSHAPER_VERSION:-0.7.70}
mkdir -p "$WORK" bench/results
WORK=$(cd "$WORK" && pwd)

need_apt() {
	if ! command -v "$1" >/dev/null 2>&1 && [ ! -x "$1" ]; then
		echo "installing $2" >&2
		apt-get install -y -qq "$2" >/dev/null
	fi
}
need_apt /usr/bin/time time
need_apt ogr2ogr gdal-bin
MAPSHAPER=$TOOLS/node_modules/mapshaper/bin/mapshaper
if [ ! -x "$MAPSHAPER" ]; then
	echo "installing mapshaper@$MAPSHAPER_VERSION" >&2
	npm install --silent --prefix "$TOOLS" "mapshaper@$MAPSHAPER_VERSION" >/dev/null
fi
MAPSHAPER=$(cd "$(dirname "$MAPSHAPER")" && pwd)/mapshaper

BIN=$WORK/aktionsplan
go build -o "$BIN" ./cmd/aktionsplan

# prepare SIZE: writes the inputs of SIZE and prints its config path.
prepare() {
	local dir=$WORK/$1
	case $1 in
	S)
		rm -rf "$dir" && mkdir -p "$dir" && cp examples/dortmund/*.toml examples/dortmund/*.csv examples/dortmund/*.geojson examples/dortmund/*.xlsx "$dir"/
		echo "$dir/aktionsplan.toml"
		;;
	M) [ -f "$dir/aktionsplan.toml" ] || "$BIN" generate --areas 2000 --fund-rows 100000 --out "$dir" >/dev/null; echo "$dir/aktionsplan.toml" ;;
	L) [ -f "$dir/aktionsplan.toml" ] || "$BIN" generate --areas 50000 --fund-rows 1000000 --out "$dir" >/dev/null; echo "$dir/aktionsplan.toml" ;;
	esac
}

# timed LOG CMD...: runs CMD under GNU time; appends "wall cpu maxrss_kb" to LOG.
timed() {
	local log=$1
	shift
	/usr/bin/time -o "$log.t" -f "%e %U %S %M" "$@" >"$log.out" 2>"$log.err" || {
		echo "failed: $*" >&2
		tail -5 "$log.err" >&2
		exit 1
	}
	awk '{printf "%s %.2f %s\n", $1, $2 + $3, $4}' "$log.t" >>"$log"
}

# stage FILE LABEL: seconds of a stage line of `run --verbose`.
stage() {
	grep -F "  $2 " "$1" | head -1 | sed -E 's/.* ([0-9]+,[0-9]+) s.*/\1/' | tr , .
}

# median of the numbers on stdin.
median() { sort -g | awk '{v[NR] = $1} END {if (NR == 0) print "nan"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }

# col N FILE: column N of FILE.
col() { awk -v c="$1" '{print $c}' "$2"; }

RESULT=bench/results/$(date -u +%Y-%m-%d).txt
{
	echo "# aktionsplan bench/compare.sh, $(date -u +'%Y-%m-%d %H:%M UTC')"
	echo "# $(nproc) cores, $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo), load before start: $(cut -d' ' -f1-3 /proc/loadavg)"
	echo "# $(go version | cut -d' ' -f3), mapshaper $("$MAPSHAPER" -v 2>&1 | tail -1), $(ogr2ogr --version)"
	echo
	printf '| size | job | median wall s | median CPU s | peak RSS MB | ratio wall | pair ratio | µs/area | µs/fund row |\n'
	printf '|---|---|---|---|---|---|---|---|---|\n'
} | tee "$RESULT"

for size in $SIZES; do
	config=$(prepare "$size")
	dir=$(dirname "$config")
	case $size in S) runs=$RUNS_S ;; M) runs=$RUNS_M ;; L) runs=$RUNS_L ;; esac
	out=$WORK/$size.out
	logs=$WORK/$size.logs
	rm -rf "$logs" && mkdir -p "$logs"

	# Outside the timing: one run of ours makes the anchors' inputs from
	# the published files, so that all jobs see the same rows.
	rm -rf "$out"
	"$BIN" run --config "$config" --out "$out" >"$logs/warmup.txt"
	kennzahlen=$WORK/$size.kennzahlen.csv
	join=$WORK/$size.join.csv
	sed '1s/^\xEF\xBB\xBF//' "$out/current/kennzahlen.csv" >"$kennzahlen"
	# The latest year of every area: code and six figures, 7 columns.
	awk -F, 'NR == 1 {print $1","$4","$5","$6","$7","$8","$9; next}
		$3 > y[$1] {y[$1] = $3; r[$1] = $1","$4","$5","$6","$7","$8","$9}
		END {for (c in r) print r[c]}' "$kennzahlen" | { IFS= read -r h; echo "$h"; sort; } >"$join"
	areas_file=$dir/$(sed -nE 's/^areas *= *"(.*)"/\1/p' "$config")
	areas=$(($(wc -l <"$join") - 1))
	fundrows=$(grep -oE '[0-9.]+ Maßnahmen' "$logs/warmup.txt" | tr -d . | grep -oE '^[0-9]+')
	layer=$(basename "$areas_file" .geojson)
	fund_file=$(sed -nE 's/^fund_usage *= *"(.*)"/\1/p' "$config")
	joindb=$WORK/$size.join.sqlite
	rm -f "$joindb"
	ogr2ogr -f SQLite "$joindb" "$join" -nln k
	ogrinfo "$joindb" -sql "CREATE UNIQUE INDEX k_code ON k(code)" >/dev/null
	sql="SELECT a.*, k.einwohner, k.anteil_unter_18_pct, k.anteil_ab_65_pct, k.auslaenderanteil_pct,
		k.arbeitslosenquote_pct, k.sgb2_quote_pct FROM \"$layer\" a LEFT JOIN '$joindb'.k k ON a.code = k.code"

	[ "$size" = L ] && mconfig=$(prepare M)
	for r in $(seq "$runs"); do
		rm -rf "$out" "$WORK/$size.ms.geojson" "$WORK/$size.ogr.geojson" "$WORK/$size.ogr.xlsx"
		timed "$logs/ours" "$BIN" run --verbose --config "$config" --out "$out"
		v=$logs/ours.out
		awk -v a="$(stage "$v" "Lesen $(basename "$areas_file")")" -v j="$(stage "$v" Verknüpfen)" \
			-v e="$(stage "$v" "davon aktionsraeume.geojson")" 'BEGIN {printf "%.3f\n", a + j + e}' >>"$logs/ours-geojson"
		awk -v j="$(stage "$v" Verknüpfen)" -v e="$(stage "$v" "davon aktionsraeume.geojson")" \
			'BEGIN {printf "%.3f\n", j + e}' >>"$logs/ours-join-write"
		stage "$v" "davon kennzahlen.xlsx" >>"$logs/ours-xlsx"
		stage "$v" "Lesen $(basename "$fund_file")" >>"$logs/ours-ledger"
		rm -rf "$out"
		timed "$logs/ours-serial" "$BIN" run --serial --verbose --config "$config" --out "$out"
		stage "$logs/ours-serial.out" "Lesen $(basename "$fund_file")" >>"$logs/ours-ledger-serial"
		if [ "$size" = L ]; then
			# The same for M, right after: the time per row of M
			# and L in one round, minutes apart from the M rounds above
			# (generate names the fund usage file the same for every size).
			rm -rf "$WORK/M.flat.out"
			timed "$logs/m-serial" "$BIN" run --serial --verbose --config "$mconfig" --out "$WORK/M.flat.out"
			stage "$logs/m-serial.out" "Lesen $(basename "$fund_file")" >>"$logs/m-ledger-serial"
		fi
		timed "$logs/mapshaper" "$MAPSHAPER" -i "$areas_file" -join "$join" keys=code,code field-types=code:str \
			-o "$WORK/$size.ms.geojson" format=geojson
		timed "$logs/ogr-join" ogr2ogr -f GeoJSON "$WORK/$size.ogr.geojson" "$areas_file" -dialect SQLite -sql "$sql"
		timed "$logs/ogr-xlsx" ogr2ogr -f XLSX "$WORK/$size.ogr.xlsx" "$kennzahlen"
	done

	# The join and the GeoJSON encoding alone: BenchmarkJoin reports
	# ns/area, BenchmarkEncoder writes 2,000 polygons per op.
	join_ns=$(go test -run '^$' -bench '^BenchmarkJoin$' -benchtime 20x -count 5 ./pipeline |
		awk '{for (i = 2; i <= NF; i++) if ($i == "ns/area") print $(i - 1)}' | median)
	enc_ns=$(go test -run '^$' -bench '^BenchmarkEncoder$' -benchtime 20x -count 5 ./outputs/geojson |
		awk '/^BenchmarkEncoder/ {print $3 / 2000}' | median)
	awk -v j="$join_ns" -v e="$enc_ns" -v n="$areas" 'BEGIN {printf "%.4f\n", (j + e) * n / 1e9}' >"$logs/ours-join-write-alone"

	ms=$(col 1 "$logs/mapshaper" | median)
	ox=$(col 1 "$logs/ogr-xlsx" | median)
	for job in ours ours-ledger ours-serial ours-ledger-serial ours-geojson ours-join-write ours-join-write-alone mapshaper ogr-join ours-xlsx ogr-xlsx; do
		f=$logs/$job
		wall=$(col 1 "$f" | median)
		cpu=- rss=-
		if [ "$(awk '{print NF; exit}' "$f")" = 3 ]; then
			cpu=$(col 2 "$f" | median)
			rss=$(col 3 "$f" | median | awk '{printf "%.0f", $1 / 1024}')
		fi
		case $job in *xlsx) ref=$ox reflog=$logs/ogr-xlsx ;; *) ref=$ms reflog=$logs/mapshaper ;; esac
		ratio=$(awk -v a="$wall" -v b="$ref" 'BEGIN {printf "%.2f", a / b}')
		# Each run of ours and of the anchors is in the same line of their
		# logs; the benchmark estimate has one line only.
		pair=-
		if [ "$(wc -l <"$f")" = "$(wc -l <"$reflog")" ]; then
			pair=$(paste -d' ' <(col 1 "$f") <(col 1 "$reflog") | awk '{printf "%.6f\n", $1 / $2}' | median | awk '{printf "%.2f", $1}')
		fi
		per_area=$(awk -v t="$wall" -v n="$areas" 'BEGIN {printf "%.1f", t * 1e6 / n}')
		per_row=-
		case $job in ours | ours-ledger | ours-serial | ours-ledger-serial) per_row=$(awk -v t="$wall" -v n="$fundrows" 'BEGIN {printf "%.2f", t * 1e6 / n}') ;; esac
		case $job in ours-ledger | ours-ledger-serial) ratio=- pair=- per_area=- ;; esac
		printf '| %s (%s areas, %s fund rows) | %s | %s | %s | %s | %s | %s | %s | %s |\n' \
			"$size" "$areas" "$fundrows" "$job" "$wall" "$cpu" "$rss" "$ratio" "$pair" "$per_area" "$per_row"
	done | tee -a "$RESULT"
	if [ "$size" = L ]; then
		mrows=$(grep -oE '[0-9.]+ Maßnahmen' "$logs/m-serial.out" | tr -d . | grep -oE '^[0-9]+')
		paste -d' ' "$logs/m-ledger-serial" "$logs/ours-ledger-serial" |
			awk -v m="$mrows" -v l="$fundrows" '{printf "%.6f\n", ($2 / l) / ($1 / m)}' >"$logs/flat"
		printf '(fund usage alone, run --serial, M and L in the same rounds: %s and %s µs a row, medians; L/M of each round: %s; median %s)\n' \
			"$(median <"$logs/m-ledger-serial" | awk -v n="$mrows" '{printf "%.2f", $1 * 1e6 / n}')" \
			"$(median <"$logs/ours-ledger-serial" | awk -v n="$fundrows" '{printf "%.2f", $1 * 1e6 / n}')" \
			"$(awk '{printf "%s%.2f", (NR > 1 ? " " : ""), $1}' "$logs/flat")" \
			"$(median <"$logs/flat" | awk '{printf "%.2f", $1}')" | tee -a "$RESULT"
	fi
done
echo "(ratio wall: of the medians; pair ratio: median of each round's ratio of ours to the anchor; to mapshaper for the joins and our whole run, to ogr2ogr for XLSX; written to $RESULT)"
