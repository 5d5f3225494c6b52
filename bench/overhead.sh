#!/usr/bin/env bash
# Overhead per capability check: the time of one acct(NULL) (one CAP_SYS_PACCT check) with
#   (a) no BPF program on cap_capable,
#   (b) the empty program bench/empty.bpf.c attached by bench/attach (the hook's own cost),
#   (c) the exporter running (its BPF program counting),
#   (d) the exporter as the DaemonSet runs it (`run --profiles.file=...`): check events on for
#       the audited checks (the fold map looked up per check, one event per tuple and window).
# The configurations alternate over ROUNDS rounds (the order rotates each round); the loop runs
# on one CPU, the BPF loader / exporter on another. Each configuration is given SETTLE seconds
# after it attached before the loop runs: a JVM that has just started compiles and collects on the
# other CPU for several seconds, which slowed the loop by ~9 ns a check one second after start and
# by ~3 ns ten seconds after (bench/variants.sh FROZEN=1), and a node's exporter is long past its
# start. Other programs on the hook are counted before and after each sample, and a sample taken
# while one was there is discarded. Medians are reported. Then, apart from the
# table, one more run of (b) and (c) with kernel.bpf_stats_enabled=1 gives each program's own
# run time per check (the statistics cost time themselves, hence not in the table).
#   bench/overhead.sh            ROUNDS=7 COUNT=2000000 SETTLE=10 PORT=19190 by default
set -euo pipefail
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

ROUNDS=${ROUNDS:-7}
COUNT=${COUNT:-2000000}
SETTLE=${SETTLE:-10}
ncpu=$(nproc)
LOOP_CPU=$((ncpu - 1)) # the measured loop
HELPER_CPU=0           # attach / the exporter
ATTACH_PID=
STATS_WAS=

cleanup() {
  if [ -n "$ATTACH_PID" ]; then
    kill -TERM "$ATTACH_PID" 2>/dev/null || true
    wait "$ATTACH_PID" 2>/dev/null || true
  fi
  [ -z "$STATS_WAS" ] || sysctl -qw "kernel.bpf_stats_enabled=$STATS_WAS"
  bench_cleanup
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

echo "# bench/overhead.sh  ROUNDS=$ROUNDS COUNT=$COUNT SETTLE=$SETTLE"
bench_setup
[ "$ncpu" -ge 2 ] || die "needs 2 CPUs: one for the loop, one for the loader/exporter"

arch=$(uname -m | sed -e 's/x86_64/x86/' -e 's/aarch64/arm64/')
clang -g -O2 -target bpf "-D__TARGET_ARCH_$arch" -c "$BENCH_DIR/empty.bpf.c" -o "$WORK/empty.bpf.o"
gcc -O2 "$BENCH_DIR/attach.c" -lbpf -o "$WORK/attach"

LOOP=(taskset -c "$LOOP_CPU" "$TRIGGER" --time acct "$COUNT")
echo "# loop:   ${LOOP[*]/#$WORK/\$WORK}"
echo "# (b):    taskset -c $HELPER_CPU \$WORK/attach \$WORK/empty.bpf.o"
echo "# (c):    taskset -c $HELPER_CPU bin/capability-exporter run --web.listen-address=127.0.0.1:$PORT"
echo "# (d):    taskset -c $HELPER_CPU bin/capability-exporter run --web.listen-address=127.0.0.1:$PORT --profiles.file=\$WORK/profiles.json"

# measure: runs the loop once, prints ns per check.
measure() {
  local out
  out=$("${LOOP[@]}")
  [ "$(head -n1 <<<"$out")" = "$COUNT allowed 0 denied" ] || die "trigger: unexpected output: $out"
  sed -n 's/^elapsed_ns=//p' <<<"$out" | awk -v n="$COUNT" '{ printf "%.1f\n", $1 / n }'
}

# expect_programs N: waits up to 5 s for exactly N programs on the cap_capable hook (whoever
# attached them: the tests, another exporter, another tool), else stops the run.
expect_programs() {
  local i
  for ((i = 0; i < 50; i++)); do
    [ "$(hook_programs)" = "$1" ] && return 0
    sleep 0.1
  done
  bpftool link show | grep -B1 "tp 'cap_capable'" >&2 || true
  die "$(hook_programs) programs on the cap_capable hook, $1 expected: another one is attached; rerun on a quiet machine"
}

# start_config a|b|c|d: attaches what the configuration needs, waits SETTLE seconds.
start_config() {
  local i
  case $1 in
    b)
      taskset -c "$HELPER_CPU" "$WORK/attach" "$WORK/empty.bpf.o" >"$WORK/attach.out" 2>&1 &
      ATTACH_PID=$!
      for ((i = 0; i < 100; i++)); do
        grep -q attached "$WORK/attach.out" && break
        kill -0 "$ATTACH_PID" 2>/dev/null || break
        sleep 0.1
      done
      grep -q attached "$WORK/attach.out" || die "attach failed: $(cat "$WORK/attach.out")"
      ;;
    c)
      EXPORTER_ARGS=()
      start_exporter taskset -c "$HELPER_CPU"
      ;;
    d)
      EXPORTER_ARGS=("--profiles.file=$WORK/profiles.json")
      start_exporter taskset -c "$HELPER_CPU"
      ;;
  esac
  expect_programs "$([ "$1" = a ] && echo 0 || echo 1)"
  case $1 in c | d) sleep "$SETTLE" ;; b) sleep 0.5 ;; esac
}

# stop_config a|b|c|d: detaches; returns 1 (the sample is discarded) if another program came
# onto the hook meanwhile: each one attached makes every check dearer, and changes the dispatch.
stop_config() {
  local others=0
  [ "$(hook_programs)" = "$([ "$1" = a ] && echo 0 || echo 1)" ] || others=1
  case $1 in
    b)
      kill -TERM "$ATTACH_PID"
      wait "$ATTACH_PID" || true
      ATTACH_PID=
      ;;
    c | d) stop_exporter ;;
  esac
  return "$others"
}

"$TRIGGER" acct 200000 >/dev/null # warm up
echo
printf '%-7s %-7s %8s\n' round config time
configs=(a b c d)
discarded=0
for ((round = 1; round <= ROUNDS; round++)); do
  for ((k = 0; k < 4; k++)); do
    config=${configs[$(((round - 1 + k) % 4))]}
    start_config "$config"
    ns=$(measure)
    if ! stop_config "$config"; then
      printf '%-7s %-7s %8s ns/check  DISCARDED: another program was on the hook\n' "$round" "($config)" "$ns"
      discarded=$((discarded + 1))
      continue
    fi
    echo "$ns" >>"$WORK/$config.ns"
    printf '%-7s %-7s %8s ns/check\n' "$round" "($config)" "$ns"
  done
done

for config in a b c d; do
  [ -s "$WORK/$config.ns" ] || die "every run of ($config) was discarded: other programs kept coming onto the hook"
done
[ "$discarded" = 0 ] || echo "discarded: $discarded runs (another program was on the hook)"
a=$(median <"$WORK/a.ns")
b=$(median <"$WORK/b.ns")
c=$(median <"$WORK/c.ns")
d=$(median <"$WORK/d.ns")
echo
printf '%-34s %12s %12s %12s %14s\n' configuration "median ns" "min ns" "max ns" "added over (a)"
row() {
  printf '%-34s %12.1f %12.1f %12.1f %14s\n' "$1" "$2" "$(sort -g "$WORK/$3.ns" | head -n1)" \
    "$(sort -g "$WORK/$3.ns" | tail -n1)" "$4"
}
row "(a) no BPF program" "$a" a "-"
row "(b) empty program (bench/attach)" "$b" b "$(awk -v x="$b" -v y="$a" 'BEGIN { printf "%+.1f", x - y }')"
row "(c) capability-exporter" "$c" c "$(awk -v x="$c" -v y="$a" 'BEGIN { printf "%+.1f", x - y }')"
row "(d) exporter, profiles (events)" "$d" d "$(awk -v x="$d" -v y="$a" 'BEGIN { printf "%+.1f", x - y }')"
# A shared VM's neighbours can move every sample by more than the hook costs: when the spread of
# (a) or (b) is over half of what (b) adds, the ratios below say more about the host than the
# program, and the run says so.
spread() { sort -g "$WORK/$1.ns" | awk 'NR == 1 { lo = $1 } { hi = $1 } END { print hi - lo }'; }
awk -v a="$a" -v b="$b" -v sa="$(spread a)" -v sb="$(spread b)" 'BEGIN {
	if (sa > (b - a) / 2 || sb > (b - a) / 2)
		printf "NOISY: (a) spread %.1f ns, (b) %.1f ns, against +%.1f ns for the empty program: rerun on a quieter host\n", sa, sb, b - a
}'
awk -v a="$a" -v b="$b" -v c="$c" -v d="$d" 'BEGIN {
	if (b - a <= 0) { print "ratio added/added(b): n/a (the empty program added nothing measurable)"; exit }
	printf "ratio added(c)/added(b): %.2f   (goal <= 1.5: counters)\n", (c - a) / (b - a)
	printf "ratio added(d)/added(b): %.2f   (goal <= 2.0: events on, as the DaemonSet runs it)\n", (d - a) / (b - a)
}'

# The programs' own run time: run_time_ns / run_cnt of the program over one loop.
prog_stats() { # NAME -> "run_time_ns run_cnt"
  bpftool prog show name "$1" | awk '{ for (i = 1; i < NF; i++) {
		if ($i == "run_time_ns") t = $(i + 1); if ($i == "run_cnt") n = $(i + 1) } }
		END { print t + 0, n + 0 }'
}
STATS_WAS=$(sysctl -n kernel.bpf_stats_enabled)
sysctl -qw kernel.bpf_stats_enabled=1
echo
echo "with kernel.bpf_stats_enabled=1, one run each (not in the table above):"
printf '%-34s %12s %20s\n' program "ns/check" "program run ns/run"
for config in b c d; do
  name=$([ "$config" = b ] && echo cap_capable_empty || echo cap_capable_tp)
  start_config "$config"
  read -r t0 n0 < <(prog_stats "$name")
  ns=$(measure)
  read -r t1 n1 < <(prog_stats "$name")
  stop_config "$config" || true
  printf '%-34s %12s %20s\n' "($config) $name" "$ns" \
    "$(awk -v t="$((t1 - t0))" -v n="$((n1 - n0))" 'BEGIN { printf "%.1f", t / n }')"
done
