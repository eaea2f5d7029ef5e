#!/usr/bin/env bash
# Runs every Go fuzz target of the module for FUZZTIME (default 10s) each,
# one after the other, and fails when any of them finds an input that
# panics or breaks a property. A finding is written by go test to the
# package's testdata/fuzz/<FuzzName>/ folder: commit it there as a
# regression case, plain `go test` runs it from then on.
#
# Minimisation is limited to one attempt (-fuzzminimizetime 1x): excelize's
# coverage differs from run to run for the same input, so with the default
# of 60 s the fuzzer spends nearly all its time minimising inputs that only
# look new. A finding is kept as found.
#
# Prints per target the seconds taken, the executions and executions per
# second as go test reports them.
set -euo pipefail
cd "$(dirname "$0")/.."

# Ten seconds each keeps the 20 targets (with the compile of each) near
# six minutes, CI as a whole well under its 15.
FUZZTIME=${FUZZTIME:-10s}
failed=()
summary=()
start_all=$(date +%s)

# Every "func FuzzX(" in a test file, as "package-dir FuzzX", sorted.
targets=$(grep -rEo --include='*_test.go' '^func Fuzz[A-Za-z0-9_]*\(' . |
  sed -E 's#^\./(.*)/[^/]*_test\.go:func (Fuzz[A-Za-z0-9_]*)\($#\1 \2#' | sort -u)

# fuzz_once runs one target for FUZZTIME, its output into the file $3.
fuzz_once() {
  go test -run '^$' -fuzz "^${2}\$" -fuzztime "$FUZZTIME" -fuzzminimizetime 1x -parallel 2 "./$1" >"$3" 2>&1
}

# new_findings lists inputs of target $2 in package $1 that git does not know.
new_findings() {
  git status --porcelain --untracked-files=all -- "$1/testdata/fuzz/$2" 2>/dev/null
}

while read -r dir name; do
  [ -n "$dir" ] || continue
  echo "== $name (./$dir, $FUZZTIME)"
  log=$(mktemp)
  t0=$(date +%s.%N)
  if fuzz_once "$dir" "$name" "$log"; then
    status=ok
  elif [ -z "$(new_findings "$dir" "$name")" ]; then
    # The fuzzing engine failed without writing an input (seen once
    # under heavy machine load: a worker lost, no message). A finding
    # always leaves a file; without one, run the target once more.
    cat "$log"
    echo "$name: failed without a finding; running it once more"
    if fuzz_once "$dir" "$name" "$log"; then
      status="ok (rerun)"
    elif [ -z "$(new_findings "$dir" "$name")" ] && grep -q 'context deadline exceeded' "$log"; then
      # Go's fuzzing engine can end a run at its deadline with this error
      # and no input; nothing was found, so this is not a finding.
      status="ok (engine deadline, no input)"
    else
      status=FAILED
      failed+=("$name (./$dir)")
      cat "$log"
    fi
  else
    status=FAILED
    failed+=("$name (./$dir)")
    cat "$log"
  fi
  t1=$(date +%s.%N)
  execs=$(grep -Eo 'execs: [0-9]+' "$log" | tail -1 | grep -Eo '[0-9]+' || echo 0)
  secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
  rate=$(awk -v n="$execs" -v s="$FUZZTIME" 'BEGIN { sub(/s$/, "", s); if (s + 0 > 0) printf "%d", n / s; else print "-" }')
  summary+=("$(printf '%-26s %-18s %7ss %10s execs %8s/s  %s' "$name" "./$dir" "$secs" "$execs" "$rate" "$status")")
  rm -f "$log"
done <<<"$targets"

echo
echo "== fuzz summary (FUZZTIME=$FUZZTIME, total $(($(date +%s) - start_all))s)"
printf '%s\n' "${summary[@]}"
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzzing found problems in: ${failed[*]}"
  echo "the inputs are in the packages' testdata/fuzz/ folders"
  exit 1
fi
