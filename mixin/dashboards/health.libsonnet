// Are the exporters up, attached and counting everything? The exporter's own series: selected by
// job and instance only, as namespaceSelector and podSelector are about workloads.
local d = import '../lib/dashboard.libsonnet';
local promql = import '../lib/promql.libsonnet';

{
  grafanaDashboards+:: {
    local c = $._config,
    local up = promql.series('up', [c.jobSelector]),
    local exporter(metric, matchers=[]) =
      promql.series(metric, [c.jobSelector] + matchers + ['instance=~"$instance"']),
    local rate(metric) = 'rate(%s[$__rate_interval])' % exporter(metric),
    local rateOf(series) = 'rate(%s[$__rate_interval])' % series,
    // The targets that were exporters in the time range: `up` says nothing of what a target is,
    // and a target down now has no other series to tell.
    local exporters = 'on (job, instance) group by (job, instance) (last_over_time(%s[$__range]))'
                      % exporter('capability_exporter_build_info'),
    local zeroOrOne = { max: 1, decimals: 0 },
    local integers = { decimals: 0 },

    'capability-exporter-health.json': d.dashboard(
      'capability-exporter-health',
      'Capability checks / Exporter health',
      'Is every capability-exporter up, attached and counting everything: drops, attribution, kernel map, scrape time, Kubernetes watch, policy reloads, versions.',
      'now-1h',
      [
        d.variable(
          'instance',
          'Instance',
          'label_values(%s, instance)' % promql.series('capability_exporter_build_info', [c.jobSelector]),
          multi=true
        ),
      ],
      [
        d.stat(
          'Targets up',
          'Exporter targets Prometheus scrapes successfully: targets that reported capability_exporter_build_info in the time range and are up now.',
          { h: 4, w: 4, x: 0, y: 0 },
          'sum(%s and %s) or vector(0)' % [up, exporters],
          colored=false
        ),
        d.stat(
          'Targets down',
          'Exporter targets seen in the time range whose last scrape failed.',
          { h: 4, w: 4, x: 4, y: 0 },
          'count(%s == 0 and %s) or vector(0)' % [up, exporters],
          alarm=true
        ),
        d.stat(
          'Audit flag unknown',
          'Exporters that cannot tell noaudit probes from real checks (kernel addresses hidden: grant CAP_SYSLOG); their noaudit probes count as unexpected.',
          { h: 4, w: 4, x: 8, y: 0 },
          'count(%s) or vector(0)' % exporter('capability_exporter_hook_attached', ['audit_known="false"']),
          alarm=true
        ),
        d.stat(
          'Kubernetes watch down',
          "Exporters in Kubernetes whose watch on their node's pods is down.",
          { h: 4, w: 4, x: 12, y: 0 },
          'count(%s == 0) or vector(0)' % exporter('capability_exporter_kubernetes_watching'),
          alarm=true
        ),
        d.stat(
          'Policy reload failing',
          'Exporters whose last load of the policy file failed: the previous policy stays in force.',
          { h: 4, w: 4, x: 16, y: 0 },
          'count(%s == 0) or vector(0)' % exporter('capability_exporter_config_last_reload_successful'),
          alarm=true
        ),
        d.stat(
          'Events dropped',
          'Check events (trace, OTLP) not delivered in the time range; the counters never lose a check.',
          { h: 4, w: 4, x: 20, y: 0 },
          'sum(increase(%s[$__range])) or vector(0)' % exporter('capability_exporter_events_dropped_total'),
          alarm=true
        ),
        d.timeseries(
          'Targets up',
          '1 while Prometheus scrapes the exporter, 0 when the scrape fails.',
          { h: 8, w: 12, x: 0, y: 4 },
          [d.range('%s and %s' % [up, exporters], '{{instance}}')],
          'short',
          defaults=zeroOrOne
        ),
        d.timeseries(
          'Hook attached',
          'Exporters by the kernel hook their BPF program is attached to; audit_known="false": kernel addresses are hidden (no CAP_SYSLOG), so noaudit probes count as unexpected.',
          { h: 8, w: 12, x: 12, y: 4 },
          [
            d.range(
              'sum by (hook, audit_known) (%s)' % exporter('capability_exporter_hook_attached'),
              '{{hook}} audit_known={{audit_known}}'
            ),
          ],
          'short',
          overrides=[d.color('byRegexp', '.*audit_known=false', 'orange')],
          defaults=integers
        ),
        d.table(
          'Exporters',
          'Version, Java and kernel hook of each exporter.',
          { h: 6, w: 24, x: 0, y: 12 },
          [
            'max by (instance, node, version, javaversion) (%s)' % exporter('capability_exporter_build_info'),
            'max by (instance, node, hook, audit_known) (%s)' % exporter('capability_exporter_hook_attached'),
          ],
          'instance',
          [
            d.merge,
            d.organize(
              ['instance', 'node', 'version', 'javaversion', 'hook', 'audit_known'],
              { javaversion: 'java' },
              exclude=['Value #A', 'Value #B']
            ),
          ],
          descending=false
        ),
        d.timeseries(
          'Events dropped per second',
          "Check events not delivered, by reason: ring_full (the kernel's ring buffer), otlp_queue_full, otlp_export_failed.",
          { h: 8, w: 12, x: 0, y: 18 },
          [
            d.range(
              'sum by (instance, reason) (%s)' % rate('capability_exporter_events_dropped_total'),
              '{{instance}} {{reason}}'
            ),
          ],
          'cps'
        ),
        d.timeseries(
          'Checks not fully attributed per second',
          'Checks counted under container="(overflow)" because the kernel counts map was full (raise --bpf.counts-max-entries), and cgroups whose checks went to container="(unknown)".',
          { h: 8, w: 12, x: 12, y: 18 },
          [
            d.range(
              'sum by (instance) (%s)' % rate('capability_exporter_checks_unattributed_total'),
              '{{instance}} unattributed (map full)'
            ),
            d.range(
              'sum by (instance, reason) (%s)' % rate('capability_exporter_attribution_failures_total'),
              '{{instance}} attribution failure {{reason}}',
              'B'
            ),
          ],
          'cps'
        ),
        d.timeseries(
          'Kernel map entries',
          'Entries in the kernel counts map at the last scrape, and its capacity (--bpf.counts-max-entries).',
          { h: 8, w: 8, x: 0, y: 26 },
          [
            d.range(
              'max by (instance, map) (%s)' % exporter('capability_exporter_map_entries'),
              '{{instance}} {{map}} entries'
            ),
            d.range(
              'max by (instance, map) (%s)' % exporter('capability_exporter_map_capacity'),
              '{{instance}} {{map}} capacity',
              'B'
            ),
          ],
          'short',
          overrides=[
            {
              matcher: { id: 'byRegexp', options: '.* capacity' },
              properties: [
                { id: 'custom.lineStyle', value: { fill: 'dash', dash: [10, 10] } },
                { id: 'custom.fillOpacity', value: 0 },
              ],
            },
          ]
        ),
        d.timeseries(
          'Kernel map fill',
          'Entries over capacity: when full, checks count under container="(overflow)".',
          { h: 8, w: 8, x: 8, y: 26 },
          [
            d.range(
              'max by (instance, map) (%s / %s)'
              % [exporter('capability_exporter_map_entries'), exporter('capability_exporter_map_capacity')],
              '{{instance}} {{map}}'
            ),
          ],
          'percentunit',
          defaults={ max: 1 }
        ),
        d.timeseries(
          'Kernel map memory',
          'Kernel memory charged to each map (memlock in /proc/PID/fdinfo).',
          { h: 8, w: 8, x: 16, y: 26 },
          [
            d.range(
              'max by (instance, map) (%s)' % exporter('capability_exporter_map_memory_bytes'),
              '{{instance}} {{map}}'
            ),
          ],
          'bytes'
        ),
        d.timeseries(
          'Scrape duration',
          'Time to read the kernel map and update the series: the mean over the interval, and the longest of the last minutes.',
          { h: 8, w: 8, x: 0, y: 34 },
          [
            d.range(
              'sum by (instance) (%s)\n  /\nsum by (instance) (%s)'
              % [
                rate('capability_exporter_scrape_duration_seconds_sum'),
                rate('capability_exporter_scrape_duration_seconds_count'),
              ],
              '{{instance}} mean'
            ),
            d.range(
              'max by (instance) (%s)' % exporter('capability_exporter_scrape_duration_seconds_max'),
              '{{instance}} max',
              'B'
            ),
          ],
          's'
        ),
        d.timeseries(
          'Checks skipped and audit unknown per second',
          'Checks not counted because they were about other credentials (foreign_cred), and tp_btf checks whose audit flag could not be read off the stack.',
          { h: 8, w: 8, x: 8, y: 34 },
          [
            d.range(
              'sum by (instance, reason) (%s)' % rate('capability_exporter_checks_skipped_total'),
              '{{instance}} skipped {{reason}}'
            ),
            d.range(
              'sum by (instance) (%s)' % rate('capability_exporter_audit_unknown_total'),
              '{{instance}} audit unknown',
              'B'
            ),
          ],
          'cps'
        ),
        d.timeseries(
          'Policy reload',
          '1 if the last load of the policy file (--config) succeeded, 0 if it failed and the previous policy is in force.',
          { h: 8, w: 8, x: 16, y: 34 },
          [
            d.range(
              'max by (instance) (%s)' % exporter('capability_exporter_config_last_reload_successful'),
              '{{instance}}'
            ),
          ],
          'short',
          defaults=zeroOrOne
        ),
        d.timeseries(
          'Kubernetes watch',
          "1 while the watch on the node's pods is up.",
          { h: 8, w: 8, x: 0, y: 42 },
          [
            d.range(
              'max by (instance) (%s)' % exporter('capability_exporter_kubernetes_watching'),
              '{{instance}}'
            ),
          ],
          'short',
          defaults=zeroOrOne
        ),
        d.timeseries(
          'Kubernetes API failures per second',
          "Failed lists and watches of the node's pods (retried with backoff).",
          { h: 8, w: 8, x: 8, y: 42 },
          [
            d.range(
              'sum by (instance) (%s)' % rate('capability_exporter_kubernetes_api_failures_total'),
              '{{instance}}'
            ),
          ],
          'cps'
        ),
        d.timeseries(
          'Pods known',
          'Pods of its node each exporter knows.',
          { h: 8, w: 8, x: 16, y: 42 },
          [
            d.range(
              'max by (instance) (%s)' % exporter('capability_exporter_kubernetes_pods'),
              '{{instance}}'
            ),
          ],
          'short',
          defaults=integers
        ),
        // What watching costs: the kernel's books of the exporter's programs, which keep run time
        // only while kernel.bpf_stats_enabled=1 (docs/metrics.md).
        d.timeseries(
          'Checks per second',
          'Capability checks on each node (runs of the counting program; counted only while kernel.bpf_stats_enabled=1).',
          { h: 8, w: 8, x: 0, y: 50 },
          [
            d.range(
              'sum by (instance) (%s)' % rateOf(exporter('capability_exporter_bpf_program_runs_total', ['program=~"cap_capable.*"'])),
              '{{instance}}'
            ),
          ],
          'cps'
        ),
        d.timeseries(
          'Cost per check',
          'Time the counting program adds to each capability check, in the kernel (kernel.bpf_stats_enabled=1 needed; the kernel timing each run adds some 20 ns itself).',
          { h: 8, w: 8, x: 8, y: 50 },
          [
            d.range(
              'sum by (instance) (%s) / sum by (instance) (%s)' % [
                rateOf(exporter('capability_exporter_bpf_program_run_seconds_total', ['program=~"cap_capable.*"'])),
                rateOf(exporter('capability_exporter_bpf_program_runs_total', ['program=~"cap_capable.*"'])),
              ],
              '{{instance}}'
            ),
          ],
          's'
        ),
        d.timeseries(
          'CPU in the BPF programs',
          "Share of one CPU the exporter's BPF programs take in the kernel, all of them (kernel.bpf_stats_enabled=1 needed); the process's own CPU is separate.",
          { h: 8, w: 8, x: 16, y: 50 },
          [
            d.range(
              'sum by (instance) (%s)' % rateOf(exporter('capability_exporter_bpf_program_run_seconds_total')),
              '{{instance}}'
            ),
          ],
          'percentunit'
        ),
      ]
    ),
  },
}
