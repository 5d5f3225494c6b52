#!/usr/bin/env bash
# Runs the benchmarks in order (`make bench` calls this after building): overhead, flood,
# footprint, cgroups, ring, otlp, http. All run even when one fails; the exit status is 1 if any failed.
# Environment: PORT and each script's own settings (see bench/README.md).
set -euo pipefail
dir=$(cd "$(dirname "$0")" && pwd)
failed=()
for bench in overhead flood footprint cgroups ring otlp http; do
  echo "=== $bench ==="
  "$dir/$bench.sh" || failed+=("$bench")
  echo
done
if [ "${#failed[@]}" -gt 0 ]; then
  echo "failed: ${failed[*]}" >&2
  exit 1
fi
