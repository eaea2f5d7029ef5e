#!/usr/bin/env bash
# Looks at the release page as a person would: runs the shipped example
# into a temporary folder and renders current/index.html in headless
# Chromium to a PNG screenshot. Fails when
#   - the page writes anything to the console (errors, warnings, logs),
#   - the page makes any network request (Chromium's net log lists every
#     URL requested; only the page's own file:// URL is allowed),
#   - the rendered DOM lacks the 13 areas of the map or the fund chart,
#   - the screenshot is missing or blank.
# Usage: .ci/check-page.sh [SCREENSHOT.png]   (default: a temporary file)
# Needs: chromium (Debian package chromium), go.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null; then
	echo "check-page: chromium is missing (Debian package chromium)" >&2
	exit 1
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
shot=${1:-$work/index.png}

go run ./cmd/aktionsplan run --out "$work/out" >/dev/null
page=$(readlink -f "$work/out/current/index.html")

# No background traffic of the browser itself, so that the net log holds
# only what the page asks for; every host name resolves to nothing, so that
# a request cannot leave the machine either.
flags=(--headless --no-sandbox --disable-gpu --hide-scrollbars
	--no-first-run --disable-extensions --disable-sync --disable-default-apps
	--disable-background-networking --disable-component-update
	--host-resolver-rules="MAP * ~NOTFOUND"
	--user-data-dir="$work/profile")

timeout 120 chromium "${flags[@]}" --enable-logging=stderr --v=0 \
	--log-net-log="$work/net.json" \
	--window-size=1280,2400 --screenshot="$shot" "file://$page" \
	>"$work/shot.out" 2>"$work/shot.log" || {
	cat "$work/shot.log" >&2
	echo "check-page: chromium failed" >&2
	exit 1
}
timeout 120 chromium "${flags[@]}" --dump-dom "file://$page" >"$work/dom.html" 2>/dev/null

fail=0
# Console messages of the page are logged as "...:CONSOLE..." lines, with
# the level in front (INFO for console.log as for uncaught errors).
if grep -E ':CONSOLE[:(]' "$work/shot.log" >"$work/console.txt"; then
	echo "check-page: the page wrote to the console:" >&2
	cat "$work/console.txt" >&2
	fail=1
fi
# Every URL of the net log except the page itself and the browser's own
# services that survive the switches above (update, time and account
# checks of Chromium, never asked for by the page).
grep -o '"url":"[^"]*"' "$work/net.json" | sed 's/^"url":"//; s/"$//' | sort -u |
	grep -v -E '^file://|^https?://(clients[0-9]*\.google\.com|update\.googleapis\.com|accounts\.google\.com|redirector\.gvt1\.com)/' \
		>"$work/requests.txt" || true
if [ -s "$work/requests.txt" ]; then
	echo "check-page: the page requested:" >&2
	cat "$work/requests.txt" >&2
	fail=1
fi
areas=$(grep -o '<path id="[a-z0-9]*" class="area ' "$work/dom.html" | wc -l)
bars=$(grep -o '<g class="bars"' "$work/dom.html" | wc -l)
if [ "$areas" -ne 13 ] || [ "$bars" -ne 13 ]; then
	echo "check-page: rendered DOM has $areas area paths and $bars fund bars, want 13 each" >&2
	fail=1
fi
size=$(stat -c %s "$shot" 2>/dev/null || echo 0)
if [ "$size" -lt 50000 ]; then
	echo "check-page: screenshot $shot has $size bytes: blank or missing" >&2
	fail=1
fi
if [ "$fail" -ne 0 ]; then
	exit 1
fi
echo "check-page: index.html rendered without console messages or requests; $areas areas, $bars bars; screenshot $size bytes"
