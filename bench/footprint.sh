#!/usr/bin/env bash
# The exporter's footprint:
#   (i)   start-up: from launching bin/capability-exporter to /readyz answering 200 (polled every
#         10 ms), median of STARTS starts;
#   (ii)  memory: VmRSS with the series of CGROUPS cgroups, at least 4 in each (>= 10,000 by
#         default): SYS_CHROOT deny, SYS_CHROOT allow, SYS_PACCT allow, SYS_ADMIN allow (expected:
#         brk/mmap), and on this kernel a 5th, SETPCAP allow, from the capset() of --drop;
#   (iii) /metrics under load with those series: wrk, DURATION long, p50/p99 and requests/s.
#   bench/footprint.sh        STARTS=5 CGROUPS=2000 DURATION=30s PORT=19190 by default
set -euo pipefail
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

STARTS=${STARTS:-5}
CGROUPS=${CGROUPS:-2000}
DURATION=${DURATION:-30s}
PARENT=

cleanup() {
  stop_exporter
  if [ -n "$PARENT" ] && [ -d "$PARENT" ]; then
    local try
    for ((try = 0; try < 5; try++)); do
      find "$PARENT" -mindepth 1 -maxdepth 1 -type d -exec rmdir {} + 2>/dev/null || true
      rmdir "$PARENT" 2>/dev/null && break
      sleep 1
    done
    [ ! -d "$PARENT" ] || echo "footprint.sh: could not remove $PARENT" >&2
  fi
  bench_cleanup
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

echo "# bench/footprint.sh  STARTS=$STARTS CGROUPS=$CGROUPS DURATION=$DURATION"
bench_setup
command -v wrk >/dev/null || die "wrk is missing: apt-get install -y wrk"
echo "# exporter: bin/capability-exporter run --web.listen-address=127.0.0.1:$PORT"

ms() { awk -v ns="$1" 'BEGIN { printf "%.0f", ns / 1e6 }'; }
mib() { awk -v kb="$1" 'BEGIN { printf "%.1f", kb / 1024 }'; }
status_kb() { awk -v f="$1:" '$1 == f { print $2 }' "/proc/$EXPORTER_PID/status"; }

# (i) start-up
echo
echo "(i) start to /readyz 200, polled every 10 ms"
for ((s = 1; s <= STARTS; s++)); do
  t0=$(date +%s%N)
  "$LAUNCHER" run "--web.listen-address=127.0.0.1:$PORT" >>"$WORK/exporter.log" 2>&1 &
  EXPORTER_PID=$!
  until [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "$BASE/readyz")" = 200 ]; do
    kill -0 "$EXPORTER_PID" 2>/dev/null || die "the exporter exited: $(cat "$WORK/exporter.log")"
    (($(date +%s%N) - t0 < 60000000000)) || die "not ready after 60 s"
    sleep 0.01
  done
  t1=$(date +%s%N)
  echo $((t1 - t0)) >>"$WORK/start.ns"
  echo "  start $s: $(ms $((t1 - t0))) ms"
  stop_exporter
done
start_median=$(ms "$(median <"$WORK/start.ns")")

# (ii) memory with 4 series per cgroup
echo
echo "(ii) $CGROUPS cgroups, in each: trigger --drop 18 chroot 1; trigger acct 1; trigger chroot 1"
start_exporter
PARENT=$CGROUP2/bench-footprint-$$
mkdir "$PARENT"
t0=$(date +%s%N)
for ((n = 1; n <= CGROUPS; n++)); do
  cg=$PARENT/c$n
  mkdir "$cg"
  "$TRIGGER" --cgroup "$cg" --drop 18 chroot 1 >/dev/null
  "$TRIGGER" --cgroup "$cg" acct 1 >/dev/null
  "$TRIGGER" --cgroup "$cg" chroot 1 >/dev/null
done
echo "  made in $(ms $(($(date +%s%N) - t0))) ms"

# New cgroups' series can take a scrape to appear: scrape until the count stops changing.
total=0 ours=0 previous=-1
for ((try = 1; try <= 60; try++)); do
  sleep 1
  scrape >"$WORK/metrics.txt"
  total=$(grep -c '^capability_checks_total{' "$WORK/metrics.txt" || true)
  ours=$(grep -c "^capability_checks_total{.*container=\"/bench-footprint-$$/" "$WORK/metrics.txt" || true)
  if ((total >= 4 * CGROUPS && total == previous)); then
    break
  fi
  previous=$total
done
per_cgroup=$(grep -o "container=\"/bench-footprint-$$/[^\"]*\"" "$WORK/metrics.txt" | sort | uniq -c |
  awk '{ n++; if (min == "" || $1 < min) min = $1; if ($1 > max) max = $1 }
	     END { printf "%d cgroups with %d to %d series each", n, min, max }')
echo "  capability_checks_total series: $total after $try scrapes; $ours in $per_cgroup"
((total >= 4 * CGROUPS)) || die "fewer than $((4 * CGROUPS)) series: $total"
for ((k = 0; k < 5; k++)); do
  scrape >/dev/null
  sleep 1
done
rss_kb=$(status_kb VmRSS)
body=$(scrape | wc -c)
map_bytes=$(scrape | awk '$1 == "capability_exporter_map_memory_bytes{map=\"counts\"}" { printf "%.0f", $2 }')
echo "  VmRSS after 5 more scrapes: $(mib "$rss_kb") MiB; /metrics body $body bytes; counts map ${map_bytes:-?} bytes (kernel)"
if command -v jcmd >/dev/null; then # where the RSS is: the JVM's heap and metaspace
  jcmd "$EXPORTER_PID" GC.heap_info 2>/dev/null | grep -E 'generation|Metaspace' | sed 's/^ */  jcmd GC.heap_info: /' || true
fi

# (iii) /metrics: one at a time, then under load
for ((k = 0; k < 5; k++)); do
  curl -fsS -o /dev/null -w '%{time_total}\n' "$BASE/metrics" >>"$WORK/single.s"
done
single=$(median <"$WORK/single.s" | awk '{ printf "%.2f", $1 * 1000 }')
# The exporter's own timer of reading the kernel map and updating the series, per scrape.
timer() { scrape | awk -v m="capability_exporter_scrape_duration_seconds_$1" '$1 == m { print $2 }'; }
sum0=$(timer sum) count0=$(timer count)
WRK=(wrk -t2 -c4 "-d$DURATION" --latency "$BASE/metrics")
echo
echo "(iii) ${WRK[*]}"
"${WRK[@]}" >"$WORK/wrk.txt"
sum1=$(timer sum) count1=$(timer count)
map_read=$(awk -v s0="$sum0" -v s1="$sum1" -v c0="$count0" -v c1="$count1" \
  'BEGIN { if (c1 > c0) printf "%.2f (%d scrapes)", (s1 - s0) / (c1 - c0) * 1000, c1 - c0; else print "?" }')
sed 's/^/  | /' "$WORK/wrk.txt"
to_ms() { # wrk prints 812.00us, 1.23ms, 1.02s
  awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n += 0; else if (v ~ /s$/) n *= 1000; printf "%.2f", n }'
}
p50=$(to_ms "$(awk '$1 == "50%" { print $2 }' "$WORK/wrk.txt")")
p99=$(to_ms "$(awk '$1 == "99%" { print $2 }' "$WORK/wrk.txt")")
rps=$(awk '$1 == "Requests/sec:" { print $2 }' "$WORK/wrk.txt")
errors=$(awk '/Non-2xx|Socket errors/' "$WORK/wrk.txt")
rss_after_kb=$(status_kb VmRSS)
hwm_kb=$(status_kb VmHWM)

echo
printf '%-44s %20s\n' measure value
printf '%-44s %20s\n' "start to /readyz, median of $STARTS (ms)" "$start_median"
printf '%-44s %20s\n' "capability_checks_total series" "$total"
printf '%-44s %20s\n' "VmRSS with those series, after scrapes (MiB)" "$(mib "$rss_kb")"
printf '%-44s %20s\n' "VmRSS after wrk (MiB)" "$(mib "$rss_after_kb")"
printf '%-44s %20s\n' "VmHWM, peak RSS (MiB)" "$(mib "$hwm_kb")"
printf '%-44s %20s\n' "/metrics alone, median of 5 curls (ms)" "$single"
printf '%-44s %20s\n' "/metrics p50 under wrk (ms)" "$p50"
printf '%-44s %20s\n' "/metrics p99 under wrk (ms)" "$p99"
printf '%-44s %20s\n' "/metrics requests/s under wrk" "$rps"
printf '%-44s %20s\n' "map read + series update per scrape (ms)" "$map_read"
[ -z "$errors" ] || die "wrk reported errors, the latency figures are not valid: $errors"
