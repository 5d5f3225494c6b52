#!/usr/bin/env bash
# Check events out of the kernel's ring buffer, read through its memory mapping (the libbpf
# callback reader these figures were once compared with is gone: bench/RESULTS.md, section 4):
#   drain  the reader's own speed: 1,000,000 records already in a 128 MiB ring, drained and
#          decoded (CheckRecord, then CheckEvent with names and attribution) on one core
#   paced  1,000,000 checks at 100,000/s, the producer and the reader on the same core: losses
#   bench/ring.sh        ROUNDS=2 N=1000000 by default
set -euo pipefail
ROUNDS=${ROUNDS:-2}
N=${N:-1000000}
cd "$(dirname "$0")/.."
jar=exporter/target/capability-exporter.jar
trigger=exporter/target/test-helpers/trigger
echo "# bench/ring.sh  ROUNDS=$ROUNDS N=$N"
echo "# $(date -u +%FT%TZ)  kernel $(uname -r)  tree $(git describe --always --dirty 2>/dev/null || echo '?')"
echo "# taskset -c 0 java -cp $jar bench/ring/RingThroughput.java READER MODE $N $trigger"
for ((round = 1; round <= ROUNDS; round++)); do
  for reader in MAPPED; do
    taskset -c 0 java -cp "$jar" bench/ring/RingThroughput.java "$reader" drain "$N" "$trigger" | grep -v allowed
  done
done
for reader in MAPPED; do
  taskset -c 0 java -cp "$jar" bench/ring/RingThroughput.java "$reader" paced "$N"
done
