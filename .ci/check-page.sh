#!/usr/bin/env bash
# Looks at the release page as a person would: runs the shipped example
# into a temporary folder and renders current/index.html in headless
# Chromium to a PNG screenshot. Fails when
#   - the page writes anything to the console (errors, warnings, logs),
#   - the page makes any network request (Chromium's net log lists every
#     URL requested; only the page's own file:// URL is allowed),
#   - the rendered DOM lacks the 13 areas of the map or the fund chart,
#   - the screenshot is missing or blank,
#   - served by "aktionsplan serve", / does not lead to the page, the page
#     has no strict Content-Security-Policy, or the browser reports a
#     violation of it.
# Usage: .ci/check-page.sh [SCREENSHOT.png]   (default: a temporary file)
# Needs: chromium (Debian package chromium), go, python3.
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

# The same page through the server, as a browser reaches it: / redirects
# to it, and it is served with the server's Content-Security-Policy, whose
# violations the console would show.
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
go build -o "$work/aktionsplan" ./cmd/aktionsplan
"$work/aktionsplan" serve --out "$work/out" --addr "127.0.0.1:$port" >"$work/serve.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null; rm -rf "$work"' EXIT
# header URL NAME prints the header NAME of the answer to GET URL, without
# following a redirect; it fails when the server does not answer.
header() {
	python3 - "$1" "$2" <<'PY'
import sys, urllib.request, urllib.error
class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args):
        return None
try:
    resp = urllib.request.build_opener(NoRedirect).open(sys.argv[1], timeout=5)
except urllib.error.HTTPError as e:
    resp = e
print(resp.headers.get(sys.argv[2], ""))
PY
}
for _ in $(seq 50); do
	header "http://127.0.0.1:$port/healthz" Content-Type >/dev/null 2>&1 && break
	sleep 0.2
done
location=$(header "http://127.0.0.1:$port/" Location)
csp=$(header "http://127.0.0.1:$port/data/current/index.html" Content-Security-Policy)
timeout 120 chromium "${flags[@]}" --enable-logging=stderr --v=0 \
	--window-size=1280,2400 --screenshot="$work/served.png" "http://127.0.0.1:$port/" \
	>/dev/null 2>"$work/served.log" || {
	cat "$work/served.log" >&2
	echo "check-page: chromium failed on the served page" >&2
	exit 1
}

fail=0
if [ "$location" != "/data/current/index.html" ]; then
	echo "check-page: / redirects to '$location', want /data/current/index.html" >&2
	fail=1
fi
case "$csp" in
*"default-src 'none'"*) ;;
*)
	echo "check-page: the served page has no strict Content-Security-Policy: '$csp'" >&2
	fail=1
	;;
esac
if grep -E ':CONSOLE[:(]' "$work/served.log" >"$work/served-console.txt"; then
	echo "check-page: the page served with its CSP wrote to the console:" >&2
	cat "$work/served-console.txt" >&2
	fail=1
fi
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
echo "check-page: index.html rendered without console messages or requests, from the file and served with CSP \"$csp\"; $areas areas, $bars bars; screenshot $size bytes"
