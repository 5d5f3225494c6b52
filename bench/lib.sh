# shellcheck shell=bash disable=SC2034 # the variables set here are used by the scripts
# Shared by the benchmark scripts (sourced, not run). Each script sets `set -euo pipefail`,
# sources this file, and installs its own EXIT trap that calls bench_cleanup last.

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$BENCH_DIR/.." && pwd)
LAUNCHER=$ROOT/bin/capability-exporter
PORT=${PORT:-19190}
BASE=http://127.0.0.1:$PORT

die() {
  echo "$(basename "$0"): $*" >&2
  exit 1
}

# Root, the built jar and trigger. They are copied into a private directory, so a rebuild running
# in parallel cannot swap them in the middle of a run.
bench_setup() {
  [ "$(id -u)" = 0 ] || die "run as root: the exporter and bench/attach load BPF programs"
  local jar=$ROOT/exporter/target/capability-exporter.jar
  local trigger=$ROOT/exporter/target/test-helpers/trigger
  if [ ! -f "$jar" ] || [ ! -x "$trigger" ]; then
    die "not built: run \`make build\` first"
  fi
  if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
    die "port $PORT is in use: set PORT=... to a free one"
  fi
  WORK=$(mktemp -d /tmp/capability-bench.XXXXXX)
  cp "$jar" "$WORK/capability-exporter.jar"
  cp "$trigger" "$WORK/trigger"
  export CAPABILITY_EXPORTER_JAR=$WORK/capability-exporter.jar
  TRIGGER=$WORK/trigger
  CGROUP2=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/mounts)
  [ -n "$CGROUP2" ] || die "no cgroup2 mount in /proc/mounts"
  EXPORTER_PID=
  echo "# $(date -u '+%Y-%m-%dT%H:%M:%SZ')  kernel $(uname -r)  tree $(git -C "$ROOT" describe --always --dirty 2>/dev/null || echo '?')"
}

# start_exporter [PREFIX...]: runs the exporter (after PREFIX, e.g. `taskset -c 0`) with the flags
# in the array EXPORTER_ARGS if set, waits for /readyz. Its stderr goes to $WORK/exporter.log.
# shellcheck disable=SC2120 # the prefix is optional
start_exporter() {
  "$@" "$LAUNCHER" run "--web.listen-address=127.0.0.1:$PORT" ${EXPORTER_ARGS[@]+"${EXPORTER_ARGS[@]}"} \
    >>"$WORK/exporter.log" 2>&1 &
  EXPORTER_PID=$!
  local i
  for ((i = 0; i < 600; i++)); do
    if curl -fs -o /dev/null --max-time 1 "$BASE/readyz"; then
      return 0
    fi
    kill -0 "$EXPORTER_PID" 2>/dev/null || break
    sleep 0.1
  done
  cat "$WORK/exporter.log" >&2
  die "the exporter did not become ready"
}

stop_exporter() {
  [ -n "${EXPORTER_PID:-}" ] || return 0
  kill -TERM "$EXPORTER_PID" 2>/dev/null || true
  local i
  for ((i = 0; i < 100; i++)); do
    kill -0 "$EXPORTER_PID" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL "$EXPORTER_PID" 2>/dev/null || true
  wait "$EXPORTER_PID" 2>/dev/null || true
  EXPORTER_PID=
}

scrape() {
  curl -fsS --max-time 10 "$BASE/metrics"
}

# Number of BPF programs attached to the cap_capable trace event now, whoever attached them (the
# exporter, the empty baseline, another tool): bpftool lists tp_btf links as raw_tracepoint links.
hook_programs() {
  bpftool link show | grep -c "tp 'cap_capable'" || true
}

# median: the median of the numbers on stdin, one a line.
median() {
  sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

bench_cleanup() {
  stop_exporter
  [ -z "${WORK:-}" ] || rm -rf "$WORK"
}
