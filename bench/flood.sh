#!/usr/bin/env bash
# Exactness under a flood: PROCS trigger processes in one new cgroup make PER_PROC acct(NULL)
# checks each, concurrently; the exporter's capability_checks_total series for that cgroup
# (SYS_PACCT, allow) must then read exactly PROCS * PER_PROC. Exits 1 when it does not.
#   bench/flood.sh            PROCS=2 PER_PROC=5000000 PORT=19190 by default
set -euo pipefail
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

PROCS=${PROCS:-2}
PER_PROC=${PER_PROC:-5000000}
CG=
PIDS=()

cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  [ -z "$CG" ] || rmdir "$CG" 2>/dev/null || true
  bench_cleanup
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

echo "# bench/flood.sh  PROCS=$PROCS PER_PROC=$PER_PROC"
bench_setup
name=bench-flood-$$
CG=$CGROUP2/$name
issued=$((PROCS * PER_PROC))
echo "# exporter: bin/capability-exporter run --web.listen-address=127.0.0.1:$PORT"
echo "# load:     $PROCS x \$WORK/trigger --cgroup $CG acct $PER_PROC  (concurrently)"

start_exporter
mkdir "$CG"
start=$(date +%s%N)
for ((p = 0; p < PROCS; p++)); do
  "$TRIGGER" --cgroup "$CG" acct "$PER_PROC" >"$WORK/flood.$p" &
  PIDS+=($!)
done
for pid in "${PIDS[@]}"; do
  wait "$pid"
done
end=$(date +%s%N)
PIDS=()
for ((p = 0; p < PROCS; p++)); do
  out=$(cat "$WORK/flood.$p")
  [ "$out" = "$PER_PROC allowed 0 denied" ] || die "trigger $p: unexpected output: $out"
done

# The series of a new cgroup can take a scrape to appear: scrape until it is there and two
# scrapes a second apart agree. The cgroup's SYS_PACCT allow series (whatever other labels).
count() {
  awk -v c="container=\"/$name\"" '/^capability_checks_total\{/ && index($1, c) &&
		index($1, "capability=\"SYS_PACCT\"") && index($1, "verdict=\"allow\"") {
		n++; sum += $2; print > "/dev/stderr" } END { if (n) printf "%.0f\n", sum }' 2>"$WORK/series"
}
counted=''
previous=''
for ((try = 1; try <= 15; try++)); do
  sleep 1
  counted=$(scrape | count)
  if [ -n "$counted" ] && [ "$counted" = "$previous" ]; then
    break
  fi
  previous=$counted
done

awk -v i="$issued" -v c="${counted:-0}" -v s="$start" -v e="$end" 'BEGIN {
	w = (e - s) / 1e9
	printf "\n%-10s %12s %12s %10s %16s\n", "", "issued", "counted", "wall s", "rate checks/s"
	printf "%-10s %12d %12d %10.2f %16.0f\n", "SYS_PACCT", i, c, w, i / w
}'
sed 's/^/series: /' "$WORK/series"
if [ "${counted:-missing}" != "$issued" ]; then
  echo "RESULT: MISMATCH: issued $issued, counted ${counted:-nothing (no series)}"
  exit 1
fi
echo "RESULT: exact (counted == issued)"
