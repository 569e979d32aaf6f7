#!/bin/sh
# report_browser.sh - the HTML report in a real headless browser
#
# Two local lab runs (killed by the supervisor), calibrated with the sample
# field data (one field-only model added), become a report with a backtest
# section (the sample data replayed against the table); Debian's
# chromium loads it from a file with the network off.  Passes when the page
# logs nothing to the console, loads nothing from outside, and every chart
# the browser parsed has the series the run data calls for (counted here
# from run.json, independently of the report's own data-expected-series).
# A page with a deliberate SVG error is loaded first, to prove a console
# error would be seen.  Skips (77) when chromium is not installed.
set -u
command -v chromium >/dev/null 2>&1 ||
	{ echo "SKIP: chromium not installed (apt-get install chromium)"; exit 77; }
command -v python3 >/dev/null 2>&1 ||
	{ echo "SKIP: python3 not installed"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

browse() { # browse FILE -> $tmp/dom, $tmp/console
	timeout 90 chromium --headless --no-sandbox --disable-gpu --disable-quic \
		--no-first-run --disable-background-networking \
		--disable-component-update --disable-sync \
		--user-data-dir="$tmp/profile" --enable-logging=stderr --v=0 \
		--dump-dom "file://$1" >"$tmp/dom" 2>"$tmp/stderr"
	grep 'CONSOLE' "$tmp/stderr" >"$tmp/console"
}

# The harness must see a console error when there is one.
printf '<!DOCTYPE html><svg><polyline points="1,2 x"/></svg>\n' >"$tmp/bad.html"
browse "$tmp/bad.html"
[ -s "$tmp/console" ] || { echo "FAIL: harness saw no console error on a broken page"; exit 1; }

for lim in 48M 80M; do
	jetsam run --local --limit $lim --model iPhone12,1 --os 14.2 \
		--rate 200M --step 2M -o "$tmp/runs" >/dev/null ||
		{ echo "FAIL: jetsam run --local --limit $lim"; exit 1; }
done
set -- "$tmp"/runs/*/
[ $# -eq 2 ] || { echo "FAIL: expected 2 run directories, found $#"; exit 1; }
# The sample field data restricted to the model the runs measured.
grep -E '^(model,|"iPhone12,1")' data/sample-field/page-growth.csv >"$tmp/growth.csv"
echo '"iPhone13,2",16.0,feed,9000000' >>"$tmp/growth.csv"
grep '"iPhone12,1"' data/sample-field/sessions.jsonl >"$tmp/sessions.jsonl"
jetsam calibrate --field "$tmp/growth.csv" \
	--field "$tmp/sessions.jsonl" -o "$tmp/table.json" \
	"$tmp/runs" >/dev/null 2>&1 || { echo "FAIL: jetsam calibrate"; exit 1; }
jetsam html -o "$tmp/report.html" --table "$tmp/table.json" \
	--field "$tmp/growth.csv" --field "$tmp/sessions.jsonl" "$@" ||
	{ echo "FAIL: jetsam html"; exit 1; }
grep -q 'class="field-only"' "$tmp/report.html" &&
	grep -q 'id="backtest"' "$tmp/report.html" ||
	{ echo "FAIL: no field-only or backtest section"; exit 1; }

if grep -Eiq '(src|href)=|@import|url\(' "$tmp/report.html"; then
	echo "FAIL: the report refers to something outside itself"; exit 1
fi
browse "$tmp/report.html"
if [ -s "$tmp/console" ]; then
	echo "FAIL: console messages while loading the report:"; cat "$tmp/console"; exit 1
fi

# Expected series: the per-model chart has ceiling, growth, baseline and
# danger; the backtest two (needless degradations, kills not prevented);
# each run chart, from its run record: footprint, the enforced limit, the
# first warning if any, the kill if the probe died.
want="4 2"
for d in "$@"; do
	n=$(jq '1 + (if .truth_limit_bytes != null then 1 else 0 end)
		+ (if .first_warning_bytes != null then 1 else 0 end)
		+ (if .exit_signal != 0 then 1 else 0 end)' "$d/run.json")
	want="$want $n"
done
python3 - "$tmp/dom" $want <<'PY'
import sys
from html.parser import HTMLParser

class Charts(HTMLParser):
    def __init__(self):
        super().__init__()
        self.charts = []   # [declared, counted]
        self.depth = 0
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "svg" and "chart" in (a.get("class") or "").split():
            self.charts.append([int(a["data-expected-series"]), 0])
        elif tag == "g" and self.charts and a.get("class") == "series":
            self.charts[-1][1] += 1

p = Charts()
p.feed(open(sys.argv[1]).read())
want = [int(x) for x in sys.argv[2:]]
got = [c[1] for c in p.charts]
print("series per chart: rendered", got, "expected", want)
if got != want or any(c[0] != c[1] for c in p.charts):
    sys.exit(1)
PY
