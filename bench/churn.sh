#!/usr/bin/env bash
# Names through churn at any rate: cgroups made, denied chroot once and removed, as fast as 4
# processes can (bench/churn.c), while a long-lived cgroup checks throughout. Each run starts a
# fresh exporter and ends with one scrape, which must count every churned cgroup once under its own
# path: none under "(unknown)" or "(overflow)".
#   scraped     CHURN cgroups, scraped every 15 s (Prometheus's default)
#   unscraped   UNSCRAPED cgroups within 5 minutes with no scrape at all, then one
#   long paths  CHURN cgroups at paths of ~500 bytes, scraped every 15 s, with 3 CPU-bound
#               processes on the machine
#   given back  (after the others, hogs gone) UNSCRAPED/2 cgroups with --series.grace-period=30s:
#               the exporter's RSS at their peak, and once their series have gone
# Prints, per run: churned and named, the churned checks under (unknown) and (overflow), the
# kernel's dropped cgroup changes and full-map checks, whether the long-lived cgroup's series is
# exact, the series, and the exporter's peak and current RSS (VmHWM, VmRSS) against the chart's
# 256 MiB limit.
#   bench/churn.sh     CHURN=50000 UNSCRAPED=200000 QUIET=290 PORT=19190 by default
# (QUIET: seconds from the churn's start to the one scrape, within the 5-minute series grace.)
# Scrapes ask for gzip, as Prometheus does.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

CHURN=${CHURN:-50000}
UNSCRAPED=${UNSCRAPED:-200000}
QUIET=${QUIET:-290}
PARENT=
BACKGROUND=()

cleanup() {
  local pid
  for pid in ${BACKGROUND[@]+"${BACKGROUND[@]}"}; do kill "$pid" 2>/dev/null || true; done
  stop_exporter
  if [ -n "$PARENT" ] && [ -d "$PARENT" ]; then
    find "$PARENT" -mindepth 1 -depth -type d -exec rmdir {} + 2>/dev/null || true
    rmdir "$PARENT" 2>/dev/null || true
  fi
  bench_cleanup
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

echo "# bench/churn.sh  CHURN=$CHURN UNSCRAPED=$UNSCRAPED QUIET=$QUIET"
bench_setup
gcc -O2 -Wall "$BENCH_DIR/churn.c" -o "$WORK/churn"
PARENT=$CGROUP2/bench-churn-$$
mkdir "$PARENT"
echo "# exporter: bin/capability-exporter run (defaults); churn: \$WORK/churn DIR N 4"
echo "# programs on the cap_capable hook before the runs: $(hook_programs)"

status_kib() { awk -v k="$1:" '$1 == k { print $2 }' "/proc/$EXPORTER_PID/status"; }

# sum_of PATTERN: the sum of the values of the series in $WORK/scrape that start with PATTERN.
sum_of() { awk -v p="$1" 'index($0, p) == 1 { s += $NF } END { printf "%d", s }' "$WORK/scrape"; }

# run LABEL COUNT DIR QUIET_SECONDS SCRAPE_EVERY(0: never)
run() {
  local label=$1 count=$2 dir=$3 quiet=$4 every=$5 start elapsed n=0 series
  mkdir -p "$dir"
  start_exporter
  local scraper=
  if [ "$every" -gt 0 ]; then
    (while sleep "$every"; do curl -fsS --compressed -o /dev/null --max-time 10 "$BASE/metrics" || true; done) &
    scraper=$!
    BACKGROUND+=("$scraper")
  fi
  # The long-lived cgroup: 1,000 denied chroots at a time, throughout.
  mkdir "$dir/long-lived"
  touch "$WORK/go"
  (
    while [ -e "$WORK/go" ]; do
      "$TRIGGER" --cgroup "$dir/long-lived" --drop 18 chroot 1000 >/dev/null
      n=$((n + 1))
      sleep 0.2
    done
    echo "$n" >"$WORK/long-lived"
  ) &
  local long=$!
  BACKGROUND+=("$long")
  start=$(date +%s)
  "$WORK/churn" "$dir" "$count" 4 >"$WORK/churn.out"
  elapsed=$(($(date +%s) - start))
  while [ $(($(date +%s) - start)) -lt "$quiet" ]; do sleep 1; done
  rm -f "$WORK/go"
  wait "$long"
  [ -z "$scraper" ] || kill "$scraper" 2>/dev/null || true
  sleep 3 # the last releases, read within a second
  curl -fsS --compressed --max-time 60 "$BASE/metrics" >"$WORK/scrape"
  local path=${dir#"$CGROUP2"}
  local named unknown overflow
  named=$(awk -v p="capability_checks_total{capability=\"SYS_CHROOT\",container=\"$path/c" \
    'index($0, p) == 1 && /verdict="deny"/ && $NF == 1 { n++ } END { print n + 0 }' "$WORK/scrape")
  unknown=$(sum_of 'capability_checks_total{capability="SYS_CHROOT",container="(unknown)"')
  overflow=$(sum_of 'capability_checks_total{capability="SYS_CHROOT",container="(overflow)"')
  local expected actual
  expected=$(($(cat "$WORK/long-lived") * 1000))
  actual=$(sum_of "capability_checks_total{capability=\"SYS_CHROOT\",container=\"$path/long-lived\"")
  series=$(grep -c '^capability_checks_total{' "$WORK/scrape" || true)
  printf '%-11s %8s %6s %8s %8s %9s %8s %8s %15s %8s %9s %9s\n' "$label" "$count" "${elapsed}s" \
    "$named" "$unknown" "$overflow" \
    "$(sum_of capability_exporter_cgroup_changes_dropped_total)" \
    "$(sum_of 'capability_exporter_checks_unattributed_total{reason="counts_map_full"}')" \
    "$actual/$expected" "$series" \
    "$(($(status_kib VmHWM) / 1024))" "$(($(status_kib VmRSS) / 1024))"
  stop_exporter
  find "$dir" -mindepth 1 -depth -type d -exec rmdir {} + 2>/dev/null || true
}

printf '%-11s %8s %6s %8s %8s %9s %8s %8s %15s %8s %9s %9s\n' run churned took named \
  "(unknown)" "(overflow)" dropped "map full" "long-lived" series "HWM MiB" "RSS MiB"
run scraped "$CHURN" "$PARENT/s" 0 15
run unscraped "$UNSCRAPED" "$PARENT/u" "$QUIET" 0
# ~500-byte paths: two components of 240 characters under the parent.
long=$PARENT/l/$(printf 'a%.0s' {1..240})/$(printf 'b%.0s' {1..240})
for ((i = 0; i < 3; i++)); do
  (while :; do :; done) &
  BACKGROUND+=("$!")
done
run "long paths" "$CHURN" "$long" 0 15
for pid in "${BACKGROUND[@]}"; do kill "$pid" 2>/dev/null || true; done
BACKGROUND=()

echo
echo "given back: $((UNSCRAPED / 2)) cgroups, --series.grace-period=30s"
EXPORTER_ARGS=(--series.grace-period=30s)
start_exporter
mkdir -p "$PARENT/g"
"$WORK/churn" "$PARENT/g" $((UNSCRAPED / 2)) 4 >/dev/null
sleep 3
curl -fsS --compressed --max-time 60 "$BASE/metrics" >"$WORK/scrape"
echo "  at the peak: $(grep -c '^capability_checks_total{' "$WORK/scrape") series, RSS $(($(status_kib VmRSS) / 1024)) MiB"
sleep 40
curl -fsS --compressed --max-time 60 "$BASE/metrics" >"$WORK/scrape"
echo "  40 s later: $(grep -c '^capability_checks_total{' "$WORK/scrape") series, RSS $(($(status_kib VmRSS) / 1024)) MiB (peak $(($(status_kib VmHWM) / 1024)) MiB)"
stop_exporter
echo "# programs on the cap_capable hook after the runs: $(hook_programs)"
