#!/bin/bash
# Renders the mixin into the files Prometheus and Grafana read (make mixin runs it):
#   mixin/mixin.libsonnet -> alerts/<group>.rules.yml   (one per group of prometheusAlerts)
#                         -> grafana/<name>.json        (one per key of grafanaDashboards)
# A rule file or dashboard the mixin no longer renders is deleted. The output is committed; a
# test renders the mixin again and fails while the copy is stale.
#   mixin/render.sh              rewrites alerts/*.rules.yml and grafana/*.json
#   mixin/render.sh DIR          writes DIR/alerts/ and DIR/grafana/ instead
#   mixin/render.sh DIR FILE     renders FILE instead of mixin.libsonnet: jsonnet whose value is
#                                the mixin, e.g. (import 'mixin.libsonnet') + { _config+:: {...} }
# Debian's jsonnet (0.18) is all it needs: no grafonnet, no jsonnet-bundler, no network.
set -euo pipefail
export LC_ALL=C
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$root}
mixin=$(realpath "${2:-$root/mixin/mixin.libsonnet}")

if ! command -v jsonnet >/dev/null; then
  echo "render.sh: jsonnet is not installed: make mixin and make test install Debian's jsonnet" \
    "(apt-get install jsonnet)" >&2
  exit 1
fi
mkdir -p "$out/alerts" "$out/grafana"
out=$(cd "$out" && pwd) # as jsonnet spells the paths it prints
# -J: FILE may import 'mixin.libsonnet' from anywhere. jsonnet -m prints the files it wrote.
written=$(jsonnet -J "$root/mixin" -S -m "$out" --tla-code-file "mixin=$mixin" "$root/mixin/render.jsonnet")
for file in "$out"/alerts/*.rules.yml "$out"/grafana/*.json; do
  [ -e "$file" ] || continue
  grep -qxF "$file" <<<"$written" || rm -- "$file"
done
