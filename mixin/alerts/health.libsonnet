// Alerts on the exporter itself: is every node's exporter scraped, attached and counting whole?
// The exporter's own metrics carry the target's labels (job, instance; in Kubernetes namespace,
// pod and container of the exporter's pod, and node), which the descriptions name.
local alerts = import '../lib/alerts.libsonnet';
local promql = import '../lib/promql.libsonnet';

{
  prometheusAlerts+:: {
    local c = $._config,
    local job(metric, matchers=[]) = promql.series(metric, [c.jobSelector] + matchers),
    local alert(name, expr, summary, description, severity='warning', words={}) =
      alerts.alert(c, name, severity, expr, summary, description, words),

    groups+: [
      {
        name: 'capability-exporter-health',
        rules: [
          alert(
            'CapabilityExporterDown',
            '%s == 0' % job('up'),
            'capability-exporter {{ $labels.instance }} is down: capability checks {{ with $labels.node }}on node {{ . }} {{ end }}go unseen.',
            |||
              Prometheus has failed to scrape capability-exporter {{ $labels.instance }} (job
              {{ $labels.job }}{{ with $labels.pod }}, pod {{ $labels.namespace }}/{{ . }}{{ end }}{{ with $labels.node }},
              node {{ . }}{{ end }}) for %(for)s: no capability check there is counted and no
              capability alert can fire for it. Look at the exporter's status and log (kubectl
              logs, or journalctl on a host): it exits 1 naming the fault when it cannot load its
              BPF program, 2 on a bad flag or policy file.
            |||
          ),
          // No target at all: up == 0 cannot fire then.
          alert(
            'CapabilityExporterAbsent',
            'absent(%s)' % job('up'),
            'Prometheus scrapes no capability-exporter.',
            |||
              This Prometheus loads the capability-exporter alerts but has had no target %(targets)s
              for %(for)s, so none of them can fire. Check that the DaemonSet runs (kubectl -n
              capability-exporter get daemonset capability-exporter) and that the Prometheus
              Operator selects its ServiceMonitor (kube-prometheus-stack: the label release=<its
              release>); a scrape config of your own needs %(scrapeConfig)s.
            |||,
            words=c.jobSelectorWords
          ),
          // Scraped, but no BPF program attached: the exporter would count nothing. It exits when
          // no hook loads, so this is a target that is not the exporter it should be, or a bug.
          alert(
            'CapabilityExporterHookNotAttached',
            |||
              %s == 1
              unless on (job, instance)
              %s == 1
            ||| % [job('up'), job('capability_exporter_hook_attached')],
            'capability-exporter {{ $labels.instance }} is up but reports no attached kernel hook.',
            |||
              capability-exporter {{ $labels.instance }} (job {{ $labels.job }}{{ with $labels.pod }}, pod
              {{ $labels.namespace }}/{{ . }}{{ end }}{{ with $labels.node }}, node {{ . }}{{ end }})
              answers scrapes without capability_exporter_hook_attached == 1 for %(for)s: no
              capability check is being counted there. Check that the target is capability-exporter
              (its /metrics has capability_exporter_build_info) and read its start-up line in the logs.
            |||
          ),
          // Without the audit flag every noaudit probe (the SYS_ADMIN check of each mmap and
          // execve) counts as audited, so as unexpected: CapabilityUnexpectedSysAdmin fires on
          // everything.
          alert(
            'CapabilityExporterAuditFlagUnknown',
            '%s == 1' % job('capability_exporter_hook_attached', ['audit_known="false"']),
            'capability-exporter {{ $labels.instance }} cannot tell audited checks from noaudit probes.',
            |||
              capability-exporter {{ $labels.instance }}{{ with $labels.node }} on node {{ . }}{{ end }}
              runs hook {{ $labels.hook }} without the audit flag (kernel addresses are hidden from
              it), so the kernel's noaudit probes, such as the SYS_ADMIN check of every mmap, count
              as expected="false" and CapabilityUnexpectedSysAdmin fires for nearly every workload.
              Give the exporter CAP_SYSLOG (the chart does) and keep the node's
              kernel.kptr_restrict below 2, then restart it.
            |||
          ),
          alert(
            'CapabilityExporterEventsDropped',
            'increase(%s[10m]) > 0' % job('capability_exporter_events_dropped_total'),
            'capability-exporter {{ $labels.instance }} keeps dropping check events ({{ $labels.reason }}).',
            |||
              capability-exporter {{ $labels.instance }}{{ with $labels.node }} on node {{ . }}{{ end }}
              has dropped check events for reason {{ $labels.reason }} for %(for)s: trace and the
              OTLP log records miss some checks (the counters and alerts do not: they count in the
              kernel). ring_full: more new checks than the ring buffer holds; otlp_queue_full or
              otlp_export_failed: the OpenTelemetry Collector at OTEL_EXPORTER_OTLP_ENDPOINT is
              slow, refusing records or away.
            |||
          ),
          // info: a container that starts and ends between two scrapes is gone before the
          // exporter looks its cgroup up, so on nodes with many short-lived containers some of
          // this is normal. Counted on the checks themselves:
          // capability_exporter_attribution_failures_total also grows at every scrape for as long
          // as a gone cgroup's counts stay in the kernel map, so it would keep this firing after a
          // single short-lived container. Not narrowed by namespaceSelector and podSelector: these
          // checks have no workload.
          alert(
            'CapabilityExporterAttributionFailing',
            |||
              sum without (capability, verdict, expected) (
                increase(%s[15m])
              ) > 0
            ||| % job('capability_checks_total', ['container="(unknown)"']),
            'capability-exporter {{ $labels.instance }} keeps counting checks under container="(unknown)".',
            |||
              capability-exporter {{ $labels.instance }}{{ with $labels.node }} on node {{ . }}{{ end }}
              has kept counting checks it could not tie to a container, under
              container="(unknown)", for %(for)s: alerts on them cannot name the workload.
              capability_exporter_attribution_failures_total says why: path_lost (the kernel's
              cgroup ring was full, capability_exporter_cgroup_changes_dropped_total: raise
              --bpf.cgroup-ring-size) or pod_undescribed (the pods of the node are not known:
              capability_exporter_kubernetes_watching). Short-lived containers alone do not cause
              it, at any rate or scrape interval.
            |||,
            severity='info'
          ),
          alert(
            'CapabilityExporterCountsMapFull',
            'increase(%s[5m]) > 0'
            % job('capability_exporter_checks_unattributed_total', ['reason="counts_map_full"']),
            'capability-exporter {{ $labels.instance }}: the kernel counts map is full.',
            |||
              The kernel counts map of capability-exporter {{ $labels.instance }}{{ with $labels.node }}
              on node {{ . }}{{ end }} has been full for %(for)s: new checks are still counted, but
              under container="(overflow)", so alerts on them cannot name the workload. Gone
              cgroups free their entries within a second, so the live ones need more: compare
              capability_exporter_map_entries with capability_exporter_map_capacity and raise
              --bpf.counts-max-entries (default 16384) or --bpf.cgroup-slots (1024) in the
              DaemonSet's args.
            |||
          ),
          alert(
            'CapabilityExporterKubernetesWatchDown',
            '%s == 0' % job('capability_exporter_kubernetes_watching'),
            "capability-exporter {{ $labels.instance }} has not been watching its node's pods for %(for)s.",
            |||
              capability-exporter {{ $labels.instance }}{{ with $labels.node }} on node {{ . }}{{ end }}
              has had no watch on the pods of its node for %(for)s: checks of pods it does not
              know yet wait in the kernel without pod labels, and pod annotations and specs may be
              out of date, so expected may be wrong. Read the exporter's log (Kubernetes API:
              cannot list/watch ...) and check its service account's RBAC and the API server.
            |||
          ),
          alert(
            'CapabilityExporterKubernetesApiErrors',
            'increase(%s[10m]) > 0' % job('capability_exporter_kubernetes_api_failures_total'),
            "capability-exporter {{ $labels.instance }} keeps failing to list or watch its node's pods.",
            |||
              capability-exporter {{ $labels.instance }}{{ with $labels.node }} on node {{ . }}{{ end }}
              has failed to list or watch the pods of its node again and again for %(for)s
              (capability_exporter_kubernetes_api_failures_total): it retries with backoff, but pod
              labels and expectations lag. Read the exporter's log for the API server's answer
              (403: RBAC; timeouts: the network or the API server).
            |||
          ),
          alert(
            'CapabilityExporterPolicyReloadFailed',
            '%s == 0' % job('capability_exporter_config_last_reload_successful'),
            'capability-exporter {{ $labels.instance }} could not load its policy file.',
            |||
              The policy file (--config) of capability-exporter {{ $labels.instance }}{{ with $labels.node }}
              on node {{ . }}{{ end }} has not loaded for %(for)s, and the previous policy is still
              in force: the edit does not apply, and checks it was meant to declare expected still
              alert. The exporter's log names the line and the field at fault; fix the file (in
              Kubernetes the ConfigMap capability-exporter-policy) and it is re-read on its own.
            |||
          ),
          alert(
            'CapabilityExporterWebConfigReloadFailed',
            '%s == 0' % job('capability_exporter_web_config_last_reload_successful'),
            'capability-exporter {{ $labels.instance }} could not load its web config.',
            |||
              The web config (--web.config.file) of capability-exporter {{ $labels.instance }}{{ with $labels.node }}
              on node {{ . }}{{ end }} has not loaded for %(for)s, and the previous one is still in
              force: new certificates or users do not apply, and a certificate about to expire is
              still served. The exporter's log names the file, the line and the field at fault; fix
              the file (in Kubernetes the Secret capability-exporter-web-config) and it is re-read
              on its own.
            |||
          ),
        ],
      },
    ],
  },
}
