#!/usr/bin/env bash
# The HTTP server under attack, the whole system: the real exporter (as root, BPF attached) with a
# profiles file of WORKLOADS workloads, and, one after another and then all at once:
#   idle       IDLE connections opened as fast as they go and held, sending nothing;
#   slowloris  SLOW connections sending a header line every 2 s, never finishing a request (a
#              closed one is opened again);
#   profiles   PULLERS clients pulling /api/v1/profiles in a loop.
# During each, and in a quiet baseline before them: /metrics every 100 ms on a kept-alive
# connection, as Prometheus scrapes (p50, p99, max, failures); the exporter's VmRSS (sampled every
# 0.5 s; VmHWM at the end); the connections it holds (capability_exporter_http_connections); that
# it is still alive. The clients are bench/http/load.py, all to 127.0.0.1, each bounded in time.
#   bench/http.sh          WORKLOADS=1000 IDLE=20000 SLOW=200 PULLERS=50 SECONDS_EACH=30 by default
set -euo pipefail
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

WORKLOADS=${WORKLOADS:-1000}
IDLE=${IDLE:-20000}
SLOW=${SLOW:-200}
PULLERS=${PULLERS:-50}
SECONDS_EACH=${SECONDS_EACH:-30}
SAMPLER=

cleanup() {
  [ -z "$SAMPLER" ] || kill "$SAMPLER" 2>/dev/null || true
  bench_cleanup
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

echo "# bench/http.sh  WORKLOADS=$WORKLOADS IDLE=$IDLE SLOW=$SLOW PULLERS=$PULLERS SECONDS_EACH=$SECONDS_EACH"
command -v python3 >/dev/null || die "python3 is missing: apt-get install -y python3"
# As many open files as may be: the idle clients hold IDLE sockets between them, in processes of
# at most PER_PROCESS each (a container's root may not raise the hard limit).
ulimit -n "$(ulimit -Hn)"
PER_PROCESS=$(($(ulimit -n) - 256))
((PER_PROCESS > 0)) || die "the open files limit $(ulimit -n) is too low"
bench_setup
LOAD="python3 $BENCH_DIR/http/load.py"
python3 "$BENCH_DIR/http/profiles.py" "$WORKLOADS" >"$WORK/profiles.json"
EXPORTER_ARGS=("--profiles.file=$WORK/profiles.json")
echo "# exporter: bin/capability-exporter run --web.listen-address=127.0.0.1:$PORT --profiles.file=\$WORK/profiles.json ($(du -h "$WORK/profiles.json" | cut -f1), $WORKLOADS workloads)"
echo "# clients:  $LOAD {scrape|idle|slowloris|profiles} $PORT SECONDS N"
start_exporter
profile_bytes=$(curl -fsS --max-time 30 "$BASE/api/v1/profiles" | wc -c)
echo "# /api/v1/profiles: $profile_bytes bytes"

status_kb() { awk -v f="$1:" '$1 == f { print $2 }' "/proc/$EXPORTER_PID/status"; }
mib() { awk -v kb="$1" 'BEGIN { printf "%.1f", kb / 1024 }'; }
metric() { scrape | awk -v m="$1" '$1 == m { print $2 }'; }

# sample_rss FILE: VmRSS and the connections held, every 0.5 s, until killed.
sample() {
  while kill -0 "$EXPORTER_PID" 2>/dev/null; do
    echo "$(status_kb VmRSS) $(curl -s --max-time 2 "$BASE/metrics" | awk '$1 == "capability_exporter_http_connections" { print $2 }')" >>"$1"
    sleep 0.5
  done
}

# phase NAME CLIENT-COMMAND...: the attack (none for the baseline) from 0 to SECONDS_EACH + 10 s,
# scrapes from 5 s to SECONDS_EACH + 5 s.
ROWS=()
phase() {
  local name=$1
  shift
  local samples=$WORK/$name.samples
  : >"$samples"
  local attackers=()
  local cmd i=0
  for cmd in "$@"; do
    i=$((i + 1))
    # shellcheck disable=SC2086 # the command's words
    $cmd >"$WORK/$name.$(echo "$cmd" | awk '{ print $3 }')-$i.out" 2>&1 &
    attackers+=($!)
  done
  sleep 5
  sample "$samples" &
  SAMPLER=$!
  $LOAD scrape "$PORT" "$SECONDS_EACH" 0.1 >"$WORK/$name.scrape"
  kill "$SAMPLER" 2>/dev/null || true
  wait "$SAMPLER" 2>/dev/null || true
  SAMPLER=
  local a
  for a in ${attackers[@]+"${attackers[@]}"}; do wait "$a" || true; done
  local alive=yes
  kill -0 "$EXPORTER_PID" 2>/dev/null || alive=NO
  echo
  echo "($name)"
  sed 's/^/  scrape: /' "$WORK/$name.scrape"
  local out
  for out in "$WORK/$name".*.out; do
    [ -e "$out" ] || continue
    echo "  $(basename "$out" .out | cut -d. -f2): $(cat "$out")"
  done
  local rss_max held_max
  rss_max=$(awk '$1 != "" { if ($1 > m) m = $1 } END { print m + 0 }' "$samples")
  held_max=$(awk '$2 != "" { if ($2 > m) m = $2 } END { print m + 0 }' "$samples")
  echo "  VmRSS max $(mib "$rss_max") MiB, connections held max $held_max, alive $alive"
  ROWS+=("$(printf '%-34s %8s %8s %8s %6s %9s %8s %6s' "$name" \
    "$(awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^p50_ms=/) print substr($i, 8) }' "$WORK/$name.scrape")" \
    "$(awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^p99_ms=/) print substr($i, 8) }' "$WORK/$name.scrape")" \
    "$(awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^max_ms=/) print substr($i, 8) }' "$WORK/$name.scrape")" \
    "$(awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^failures=/) print substr($i, 10) }' "$WORK/$name.scrape")" \
    "$(mib "$rss_max")" "$held_max" "$alive")")
  [ "$alive" = yes ] || die "the exporter died during $name: $(tail -20 "$WORK/exporter.log")"
}

long=$((SECONDS_EACH + 10))
IDLERS=()
for ((left = IDLE; left > 0; left -= PER_PROCESS)); do
  IDLERS+=("$LOAD idle $PORT $long $((left < PER_PROCESS ? left : PER_PROCESS))")
done
phase quiet
phase "idle $IDLE" "${IDLERS[@]}"
phase "slowloris $SLOW" "$LOAD slowloris $PORT $long $SLOW"
phase "profiles $PULLERS" "$LOAD profiles $PORT $long $PULLERS"
phase "all three at once" "${IDLERS[@]}" "$LOAD slowloris $PORT $long $SLOW" \
  "$LOAD profiles $PORT $long $PULLERS"

echo
echo "exporter's own counts at the end:"
scrape | grep -E '^capability_exporter_http_(connections_closed_total|requests_rejected_total)' | sed 's/^/  /'
echo
printf '%-34s %8s %8s %8s %6s %9s %8s %6s\n' "phase (/metrics every 100 ms)" "p50 ms" "p99 ms" "max ms" "failed" "RSS MiB" "held" "alive"
printf '%s\n' "${ROWS[@]}"
echo "VmHWM (peak RSS over the run): $(mib "$(status_kb VmHWM)") MiB"
