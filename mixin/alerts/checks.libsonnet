// Alerts on capability checks nobody expected (docs/configuration.md, "Expected and unexpected"); the exporter's
// own health is in health.libsonnet. Both fire on a single check, at once, and keep every label
// of the series: namespace, pod and container name the workload (the monitors scrape with
// honorLabels), node and instance the exporter.
local alerts = import '../lib/alerts.libsonnet';
local promql = import '../lib/promql.libsonnet';

{
  prometheusAlerts+:: {
    local c = $._config,
    local checks(matchers) = promql.series(
      'capability_checks_total', [c.jobSelector, c.namespaceSelector, c.podSelector] + matchers
    ),

    groups+: [
      {
        name: 'capability-exporter',
        rules: [
          alerts.alert(
            c,
            'CapabilityUnexpectedDeny',
            'warning',
            promql.increasedOrNew(checks(['verdict="deny"', 'expected="false"'])),
            '{{ if $labels.pod }}Pod {{ $labels.namespace }}/{{ $labels.pod }} container {{ $labels.container }}{{ else if $labels.container }}{{ $labels.container }}{{ else }}The host{{ end }} was denied CAP_{{ $labels.capability }}.',
            |||
              {{ if $labels.pod }}Container {{ $labels.container }} of pod {{ $labels.pod }} in
              namespace {{ $labels.namespace }}{{ else if $labels.container }}{{ $labels.container }}{{ else }}A
              process of the host{{ end }} asked for CAP_{{ $labels.capability }} in the last 5
              minutes and the kernel denied it ({{ with $labels.node }}node {{ . }}, {{ end }}exporter
              {{ $labels.instance }}); nothing declares this deny expected. If the workload needs the
              capability, add {{ $labels.capability }} to the container's
              securityContext.capabilities.add; if the deny is harmless, list {{ $labels.capability }}
              in the pod's capability-exporter.io/expected annotation or in the exporter's policy
              file. See what asks for it: capability-exporter
              trace{{ with $labels.namespace }} --namespace={{ . }}{{ end }}{{ with $labels.pod }} --pod={{ . }}{{ end }}{{ with $labels.container }} --container='{{ . }}'{{ end }}
              --cap={{ $labels.capability }} --verdict=deny
            |||
          ),
          // Any verdict: an allowed SYS_ADMIN nobody expected is the finding, a denied one a hint.
          // The noaudit SYS_ADMIN probes of every mmap and execve are expected="true" and never
          // fire.
          alerts.alert(
            c,
            'CapabilityUnexpectedSysAdmin',
            'critical',
            promql.increasedOrNew(checks(['capability="SYS_ADMIN"', 'expected="false"'])),
            '{{ if $labels.pod }}Pod {{ $labels.namespace }}/{{ $labels.pod }} container {{ $labels.container }}{{ else if $labels.container }}{{ $labels.container }}{{ else }}The host{{ end }} used CAP_{{ $labels.capability }} unexpectedly ({{ $labels.verdict }}).',
            |||
              {{ if $labels.pod }}Container {{ $labels.container }} of pod {{ $labels.pod }} in
              namespace {{ $labels.namespace }}{{ else if $labels.container }}{{ $labels.container }}{{ else }}A
              process of the host{{ end }} made an audited CAP_{{ $labels.capability }} check in the
              last 5 minutes, verdict {{ $labels.verdict }} ({{ with $labels.node }}node {{ . }}, {{ end }}exporter
              {{ $labels.instance }}), and neither its spec, its capability-exporter.io/expected
              annotation nor the policy file expects it. SYS_ADMIN is close to root on the node:
              find out what asks for it and why before granting or declaring it: capability-exporter
              trace{{ with $labels.namespace }} --namespace={{ . }}{{ end }}{{ with $labels.pod }} --pod={{ . }}{{ end }}{{ with $labels.container }} --container='{{ . }}'{{ end }}
              --cap={{ $labels.capability }} --print-stack
            |||
          ),
        ],
      },
    ],
  },
}
