#!/usr/bin/env bash
# Check events end to end, kernel to an OTLP receiver on loopback (http/protobuf), sustained:
# RATE checks a second for SECONDS, each its own event (fold window 0). Each rate runs twice,
# side by side: with the OpenTelemetry SDK's default batch (512) and queue (2048), then with the
# exporter's own defaults (OTEL_BLRP_* unset: 8192 and 32768). Exit 1 if the exporter's defaults
# dropped anything at the goal's rate (the first).
#   bench/otlp.sh        RATES="50000 80000" SECONDS_EACH=20 by default
set -euo pipefail
RATES=${RATES:-50000 80000}
SECONDS_EACH=${SECONDS_EACH:-20}
cd "$(dirname "$0")/.."
[ "$(id -u)" = 0 ] || {
  echo "bench/otlp.sh: run as root" >&2
  exit 1
}
jar=exporter/target/capability-exporter.jar
[ -f "$jar" ] || {
  echo "bench/otlp.sh: not built: run \`make build\` first" >&2
  exit 1
}
classpath=exporter/target/bench-classpath.txt
# -am compile: the exporter's tests' classpath holds tools/, a module of this build.
mvn -B -ntp -q -pl exporter -am compile dependency:build-classpath -Dmdep.includeScope=test \
  "-Dmdep.outputFile=target/bench-classpath.txt" >/dev/null
cp="$(cat "$classpath"):$jar"
echo "# bench/otlp.sh  RATES=\"$RATES\" SECONDS_EACH=$SECONDS_EACH"
echo "# $(date -u +%FT%TZ)  kernel $(uname -r)  tree $(git describe --always --dirty 2>/dev/null || echo '?')"
echo "# java [-Dbatch=512 -Dqueue=2048] -cp \$CLASSPATH bench/otlp/OtlpThroughput.java RATE $SECONDS_EACH"
status=0
first=1
for rate in $RATES; do
  for setting in sdk exporter; do
    echo
    if [ "$setting" = sdk ]; then
      echo "the SDK's defaults: batch 512, queue 2048"
      props=(-Dbatch=512 -Dqueue=2048)
    else
      echo "the exporter's defaults: batch 8192, queue 32768"
      props=()
    fi
    out=$(java "${props[@]}" -cp "$cp" bench/otlp/OtlpThroughput.java "$rate" "$SECONDS_EACH" 2>/dev/null)
    echo "$out"
    if [ "$first" = 1 ] && [ "$setting" = exporter ]; then
      first=0
      if grep -q 'dropped_total.* [1-9]' <<<"$out"; then status=1; fi
    fi
  done
done
exit $status
