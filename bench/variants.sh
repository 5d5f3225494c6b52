#!/usr/bin/env bash
# Where the exporter's cost per check goes: the same loop as overhead.sh, timed with variants of
# the exporter's BPF program, each missing one part. bench/variants.patch adds BENCH_* switches
# to a copy of bpf/ (capable.bpf.c, counts.bpf.h); each variant is that copy built with some of them, and run by
# the exporter itself (its object first on the classpath), so everything around the program is
# the real one. Interleaved rounds with (a) no program and (b) the empty program of overhead.sh;
# medians. Variants:
#   empty      the exporter's program returns at once: the hook's own cost, with the exporter
#   task       takes the current task (bpf_get_current_task_btf(), a helper call) and returns
#   counting   + the foreign-cred check, the cgroup id, the block lookup and the atomic add
#   audit      + the audit flag from the learned frame layout, no counting
#   unmarked   the program as shipped but the runtime boundary's lookup (bpf/runtime.bpf.h)
#   full       the program as shipped
# FROZEN=1 also times each variant with the exporter's process stopped (SIGSTOP: its program
# stays attached, its threads do nothing), which separates what the program costs a check from
# what the process running beside the loop costs it.
#   bench/variants.sh        ROUNDS=8 COUNT=2000000 VARIANTS="empty task counting audit unmarked full" FROZEN=0 SETTLE=1
set -euo pipefail
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

ROUNDS=${ROUNDS:-8}
COUNT=${COUNT:-2000000}
VARIANTS=${VARIANTS:-empty task counting audit unmarked full}
FROZEN=${FROZEN:-0}
SETTLE=${SETTLE:-1}
ATTACH_PID=

cleanup() {
  if [ -n "$ATTACH_PID" ]; then
    kill -TERM "$ATTACH_PID" 2>/dev/null || true
    wait "$ATTACH_PID" 2>/dev/null || true
  fi
  bench_cleanup
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

echo "# bench/variants.sh  ROUNDS=$ROUNDS COUNT=$COUNT VARIANTS=\"$VARIANTS\" FROZEN=$FROZEN SETTLE=$SETTLE"
bench_setup
[ "$(nproc)" -ge 2 ] || die "needs 2 CPUs: one for the loop, one for the loader/exporter"

flags_of() {
  case $1 in
    empty) echo -DBENCH_EMPTY ;;
    task) echo -DBENCH_NO_AUDIT -DBENCH_TASK_ONLY ;;
    counting) echo -DBENCH_NO_AUDIT ;;
    audit) echo -DBENCH_NO_COUNT ;;
    unmarked) echo -DBENCH_NO_BOUNDARY ;;
    full) echo ;;
    *) die "unknown variant $1" ;;
  esac
}

arch=$(uname -m | sed -e 's/x86_64/x86/' -e 's/aarch64/arm64/')
mkdir "$WORK/tree"
cp -r "$ROOT/bpf" "$WORK/tree/bpf"
patch -s -p1 -d "$WORK/tree" <"$BENCH_DIR/variants.patch" || die "bench/variants.patch no longer applies to bpf/: refresh it"
for v in $VARIANTS; do
  mkdir -p "$WORK/$v/bpf"
  # shellcheck disable=SC2046 # the flags are words
  clang -g -O2 -target bpf -mcpu=v3 "-D__TARGET_ARCH_$arch" $(flags_of "$v") \
    -c "$WORK/tree/bpf/capable.bpf.c" -o "$WORK/$v/bpf/capable.bpf.o"
done
clang -g -O2 -target bpf "-D__TARGET_ARCH_$arch" -c "$BENCH_DIR/empty.bpf.c" -o "$WORK/empty.bpf.o"
gcc -O2 "$BENCH_DIR/attach.c" -lbpf -o "$WORK/attach"
echo "# loop:     taskset -c 1 \$WORK/trigger --time acct $COUNT"
echo "# variant:  taskset -c 0 java -cp \$WORK/VARIANT:\$WORK/capability-exporter.jar io.capabilityexporter.Main run"

measure() {
  taskset -c 1 "$TRIGGER" --time acct "$COUNT" | sed -n 's/^elapsed_ns=//p' |
    awk -v n="$COUNT" '{ printf "%.1f\n", $1 / n }'
}

# run_variant NAME: the exporter with that object, one timed loop (and with FROZEN=1 a second one
# with the process stopped, written to $WORK/NAME-frozen.ns); empty when another program came onto
# the hook meanwhile (the samples are discarded).
run_variant() {
  taskset -c 0 java -XX:+UseSerialGC -Xmx128m -cp "$WORK/$1:$CAPABILITY_EXPORTER_JAR" \
    io.capabilityexporter.Main run "--web.listen-address=127.0.0.1:$PORT" >>"$WORK/exporter.log" 2>&1 &
  EXPORTER_PID=$!
  local i ns frozen
  for ((i = 0; i < 600; i++)); do
    curl -fs -o /dev/null --max-time 1 "$BASE/readyz" && break
    sleep 0.1
  done
  sleep "$SETTLE"
  [ "$(hook_programs)" = 1 ] || {
    stop_exporter
    return
  }
  ns=$(measure)
  if [ "$FROZEN" = 1 ]; then
    kill -STOP "$EXPORTER_PID"
    sleep 0.2
    frozen=$(measure)
    kill -CONT "$EXPORTER_PID"
  fi
  if [ "$(hook_programs)" = 1 ]; then
    echo "$ns"
    [ "$FROZEN" != 1 ] || echo "$frozen" >>"$WORK/$1-frozen.ns"
  fi
  stop_exporter
}

"$TRIGGER" acct 200000 >/dev/null # warm up
printf '\n%-7s %-10s %10s\n' round config ns/check
for ((round = 1; round <= ROUNDS; round++)); do
  [ "$(hook_programs)" = 0 ] && measure >>"$WORK/none.ns"
  taskset -c 0 "$WORK/attach" "$WORK/empty.bpf.o" >"$WORK/attach.out" 2>&1 &
  ATTACH_PID=$!
  sleep 0.5
  [ "$(hook_programs)" = 1 ] && measure >>"$WORK/attach.ns"
  kill -TERM "$ATTACH_PID"
  wait "$ATTACH_PID" || true
  ATTACH_PID=
  for v in $VARIANTS; do
    ns=$(run_variant "$v")
    if [ -n "$ns" ]; then echo "$ns" >>"$WORK/$v.ns"; else ns="discarded"; fi
    printf '%-7s %-10s %10s\n' "$round" "$v" "$ns"
  done
done

none=$(median <"$WORK/none.ns")
empty=$(median <"$WORK/attach.ns")
printf '\n%-34s %10s %14s %16s\n' configuration "median ns" "added over (a)" "ratio to (b)"
printf '%-34s %10.1f %14s %16s\n' "(a) no BPF program" "$none" - -
printf '%-34s %10.1f %+14.1f %16s\n' "(b) empty program (bench/attach)" "$empty" "$(awk -v x="$empty" -v y="$none" 'BEGIN { print x - y }')" 1.00
for v in $VARIANTS; do
  [ -s "$WORK/$v.ns" ] || continue
  m=$(median <"$WORK/$v.ns")
  printf '%-34s %10.1f %+14.1f %16.2f\n' "variant $v" "$m" \
    "$(awk -v x="$m" -v y="$none" 'BEGIN { print x - y }')" \
    "$(awk -v x="$m" -v y="$none" -v e="$empty" 'BEGIN { print (x - y) / (e - y) }')"
  [ -s "$WORK/$v-frozen.ns" ] || continue
  m=$(median <"$WORK/$v-frozen.ns")
  printf '%-34s %10.1f %+14.1f %16.2f\n' "variant $v, process stopped" "$m" \
    "$(awk -v x="$m" -v y="$none" 'BEGIN { print x - y }')" \
    "$(awk -v x="$m" -v y="$none" -v e="$empty" 'BEGIN { print (x - y) / (e - y) }')"
done
