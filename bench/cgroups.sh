#!/usr/bin/env bash
# Cgroups that come and go, and many of them at once:
#   (i)  churn: CHURN cgroups made and removed one after another, each denied chroot once while it
#        lives (as Jobs and `kubectl run --rm` pods are), while a loop scrapes every 5 s as
#        Prometheus would.
#        After the series grace period: the exporter's RSS, its capability_checks_total series, the
#        kernel's held cgroup slots and spill entries, the cgroups it follows; and that every churned
#        cgroup was counted under its own path (none under "(unknown)").
#   (ii) scale: a scrape right after SHORT short-lived cgroups (each denied once) were made between
#        two scrapes, with no other cgroups added, then with MANY idle cgroups on the host (made
#        before the exporter starts, so its start-up walk finds them): the scrape's duration
#        (curl's time_total, median of the scrapes around it) and whether all SHORT are named.
#   bench/cgroups.sh     CHURN=20000 GRACE=30s MANY=100000 SHORT=100 PORT=19190 by default
set -euo pipefail
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

CHURN=${CHURN:-20000}
SCRAPER_PID=
GRACE=${GRACE:-30s}
MANY=${MANY:-100000}
SHORT=${SHORT:-100}
PARENT=

cleanup() {
  [ -z "$SCRAPER_PID" ] || kill "$SCRAPER_PID" 2>/dev/null || true
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

echo "# bench/cgroups.sh  CHURN=$CHURN GRACE=$GRACE MANY=$MANY SHORT=$SHORT"
bench_setup
PARENT=$CGROUP2/bench-cgroups-$$
mkdir "$PARENT"
echo "# exporter: bin/capability-exporter run --web.listen-address=127.0.0.1:$PORT --series.grace-period=$GRACE"
echo "# each cgroup: mkdir; \$WORK/trigger --cgroup DIR --drop 18 chroot 1; rmdir"

metric() { # NAME{labels} -> value in the last scrape ($WORK/scrape)
  awk -v s="$1" 'index($0, s " ") == 1 { print $2; exit }' "$WORK/scrape"
}
rss_mib() { awk '/^VmRSS/ { printf "%.1f", $2 / 1024 }' "/proc/$EXPORTER_PID/status"; }
checks_series() { grep -c '^capability_checks_total{' "$WORK/scrape" || true; }
own_series() { grep -c "^capability_checks_total{capability=\"SYS_CHROOT\",container=\"/bench-cgroups-$$/" "$WORK/scrape" || true; }

# state LABEL: one line of figures from a fresh scrape.
state() {
  scrape >"$WORK/scrape"
  printf '%-28s %8s %8s %10s %8s %8s %10s\n' "$1" "$(rss_mib)" "$(checks_series)" \
    "$(metric 'capability_exporter_map_entries{map="cgroup_counts"}')" \
    "$(metric 'capability_exporter_map_entries{map="counts"}')" \
    "$(metric 'capability_exporter_cgroups')" "$(own_series)"
}

# short_lived N DIR_PREFIX: N cgroups, each made, denied chroot once, removed.
short_lived() {
  local i dir
  for ((i = 0; i < $1; i++)); do
    dir=$PARENT/$2$i
    mkdir "$dir"
    "$TRIGGER" --cgroup "$dir" --drop 18 chroot 1 >/dev/null
    rmdir "$dir"
  done
}

# --- (i) churn
LAUNCH_ARGS=("--series.grace-period=$GRACE")
"$LAUNCHER" run "--web.listen-address=127.0.0.1:$PORT" "${LAUNCH_ARGS[@]}" >>"$WORK/exporter.log" 2>&1 &
EXPORTER_PID=$!
for ((i = 0; i < 600; i++)); do
  curl -fs -o /dev/null --max-time 1 "$BASE/readyz" && break
  sleep 0.1
done
echo
echo "(i) churn: $CHURN cgroups made, denied once and removed, one after another"
printf '%-28s %8s %8s %10s %8s %8s %10s\n' when "RSS MiB" series "slots held" spill followed "own series"
state "start"
while sleep 5; do curl -fsS -o /dev/null --max-time 10 "$BASE/metrics" || true; done &
SCRAPER_PID=$!
start_s=$(date +%s)
done_n=0
step=$((CHURN / 4))
for ((q = 1; q <= 4; q++)); do
  short_lived "$step" "churn$q-"
  done_n=$((done_n + step))
  state "after $done_n"
done
echo "  churn took $(($(date +%s) - start_s)) s"
kill "$SCRAPER_PID"
wait "$SCRAPER_PID" 2>/dev/null || true
SCRAPER_PID=
sleep 2
scrape >/dev/null # folds the last departed cgroups: their series' grace period starts
sleep "${GRACE%s}"
sleep 2
state "after the grace period"
unknown=$(metric 'capability_exporter_attribution_failures_total{reason="path_lost"}')
echo "  attribution failures (counted under (unknown)): $unknown"
if command -v jcmd >/dev/null; then
  jcmd "$EXPORTER_PID" GC.run >/dev/null 2>&1 || true
  echo "  after a full GC: RSS $(rss_mib) MiB; $(jcmd "$EXPORTER_PID" GC.heap_info 2>/dev/null | grep -E 'generation|Metaspace' | sed 's/^ *//' | tr -s ' ' | cut -c1-60 | paste -sd ';')"
fi
stop_exporter

# --- (ii) scale
echo
echo "(ii) scale: the scrape after $SHORT short-lived cgroups, each denied once, between two scrapes"
printf '%-34s %10s %14s %14s %8s\n' "cgroups on the host" "start s" "scrape ms" "before ms" named
scale_run() { # LABEL
  local t0 t1 named before after
  t0=$(date +%s.%N)
  start_exporter
  t1=$(date +%s.%N)
  for ((i = 0; i < 5; i++)); do curl -fsS -o /dev/null -w '%{time_total}\n' "$BASE/metrics"; done >"$WORK/before.t"
  short_lived "$SHORT" "scale-$1-"
  after=$(curl -fsS -o "$WORK/scrape" -w '%{time_total}' "$BASE/metrics")
  before=$(median <"$WORK/before.t")
  named=$(grep -c "^capability_checks_total{capability=\"SYS_CHROOT\",container=\"/bench-cgroups-$$/scale-$1-" "$WORK/scrape" || true)
  printf '%-34s %10.2f %14.1f %14.1f %8s\n' "$(find "$CGROUP2" -type d 2>/dev/null | wc -l) ($1)" \
    "$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')" \
    "$(awk -v t="$after" 'BEGIN { print t * 1000 }')" "$(awk -v t="$before" 'BEGIN { print t * 1000 }')" \
    "$named/$SHORT"
  stop_exporter
}
scale_run few
if [ "$MANY" -gt 0 ]; then
  mkdir "$PARENT/many"
  seq 1 "$MANY" | sed "s|^|$PARENT/many/|" | xargs mkdir
  scale_run many
fi
echo "  (the first scrape after the short-lived cgroups may also wait for their release; \"named\" counts those under their own path)"
