// The whole fleet: what the alerts on checks fire on, who made it, the capabilities checked most.
local d = import '../lib/dashboard.libsonnet';
local promql = import '../lib/promql.libsonnet';

{
  grafanaDashboards+:: {
    local c = $._config,
    local checks(matchers=[]) = promql.series(
      'capability_checks_total',
      [c.jobSelector, c.namespaceSelector, c.podSelector] + matchers + ['namespace=~"$namespace"']
    ),
    local rate(matchers=[]) = 'rate(%s[$__rate_interval])' % checks(matchers),
    local inRange(aggregation, matchers=[]) = promql.countedInRange(aggregation, checks(matchers)),
    local runtimeChecks(matchers=[]) = promql.series(
      'capability_runtime_checks_total',
      [c.jobSelector, c.namespaceSelector, c.podSelector] + matchers + ['namespace=~"$namespace"']
    ),
    local unexpectedDenies = ['verdict="deny"', 'expected="false"'],
    local unexpectedSysAdmin = ['capability="SYS_ADMIN"', 'expected="false"'],

    // A table's pod opens the workload dashboard on that pod, in the same time range.
    local podLink = {
      matcher: { id: 'byName', options: 'pod' },
      properties: [
        {
          id: 'links',
          value: [
            {
              title: 'Capabilities of ${__data.fields.namespace}/${__data.fields.pod}',
              url: '/d/capability-workload/capability-workload?${datasource:queryparam}&var-namespace=${__data.fields.namespace}&var-pod=${__data.fields.pod}&var-container=${__data.fields.container}&${__url_time_range}',
            },
          ],
        },
      ],
    },

    'capability-overview.json': d.dashboard(
      'capability-overview',
      'Capability checks',
      'Linux capability checks counted by capability-exporter: rates by verdict, unexpected denies, SYS_ADMIN, top capabilities, nodes.',
      'now-6h',
      [
        d.variable(
          'namespace',
          'Namespace',
          'label_values(%s, namespace)' % promql.series(
            'capability_checks_total', [c.jobSelector, c.namespaceSelector, c.podSelector]
          ),
          multi=true
        ),
      ],
      [
        d.stat(
          'Unexpected denies',
          'Checks denied that nothing expects (what CapabilityUnexpectedDeny fires on), in the time range.',
          { h: 4, w: 6, x: 0, y: 0 },
          inRange('sum', unexpectedDenies) + ' or vector(0)',
          alarm=true
        ),
        d.stat(
          'Unexpected SYS_ADMIN checks',
          'SYS_ADMIN checks, allowed or denied, that nothing expects (what CapabilityUnexpectedSysAdmin fires on), in the time range.',
          { h: 4, w: 6, x: 6, y: 0 },
          inRange('sum', unexpectedSysAdmin) + ' or vector(0)',
          alarm=true
        ),
        d.stat(
          'Checks per second',
          'Every capability check the kernel made, now.',
          { h: 4, w: 6, x: 12, y: 0 },
          'sum(%s) or vector(0)' % rate(),
          unit='ops'
        ),
        d.stat(
          'Nodes reporting',
          'Exporter targets Prometheus scrapes successfully (up == 1).',
          { h: 4, w: 6, x: 18, y: 0 },
          'count(%s == 1 and on (job, instance) %s) or vector(0)'
          % [promql.series('up', [c.jobSelector]), promql.series('capability_exporter_build_info', [c.jobSelector])],
          colored=false
        ),
        d.timeseries(
          'Checks per second by verdict',
          'Every capability check the kernel made, counted in the kernel.',
          { h: 8, w: 12, x: 0, y: 4 },
          [d.range('sum by (verdict) (%s)' % rate(), '{{verdict}}')],
          'ops',
          overrides=[d.color('byName', 'allow', 'green'), d.color('byName', 'deny', 'red')]
        ),
        d.timeseries(
          'Unexpected denies per second',
          'Denied checks nothing expects, by workload and capability.',
          { h: 8, w: 12, x: 12, y: 4 },
          [
            d.range(
              'sum by (namespace, pod, container, capability) (%s)' % rate(unexpectedDenies),
              '{{namespace}}/{{pod}}/{{container}} {{capability}}'
            ),
          ],
          'ops'
        ),
        d.table(
          'Unexpected denies in the time range',
          'Which container was denied which capability, and how often: what CapabilityUnexpectedDeny fires on. A series that began in the range counts in full. The pod links to its workload dashboard.',
          { h: 8, w: 24, x: 0, y: 12 },
          [inRange('sum by (namespace, pod, container, capability) ', unexpectedDenies) + ' > 0'],
          'Denies',
          [d.organize(['namespace', 'pod', 'container', 'capability', 'Value'], { Value: 'Denies' })],
          overrides=[podLink]
        ),
        d.timeseries(
          'SYS_ADMIN checks per second by workload',
          'CAP_SYS_ADMIN checks by workload, expected and not: expected="false" is what CapabilityUnexpectedSysAdmin fires on.',
          { h: 8, w: 12, x: 0, y: 20 },
          [
            d.range(
              'sum by (namespace, pod, container, expected) (%s)' % rate(['capability="SYS_ADMIN"']),
              '{{namespace}}/{{pod}}/{{container}} expected={{expected}}'
            ),
          ],
          'ops',
          overrides=[d.color('byRegexp', '.*expected=false', 'red')]
        ),
        d.table(
          'SYS_ADMIN checks in the time range',
          'CAP_SYS_ADMIN checks by workload, verdict and expected. Noaudit probes (every execve and mmap make some) are expected.',
          { h: 8, w: 12, x: 12, y: 20 },
          [
            inRange('sum by (namespace, pod, container, verdict, expected) ', ['capability="SYS_ADMIN"'])
            + ' > 0',
          ],
          'Checks',
          [
            d.organize(
              ['namespace', 'pod', 'container', 'verdict', 'expected', 'Value'], { Value: 'Checks' }
            ),
          ],
          overrides=[podLink]
        ),
        d.timeseries(
          'Top capabilities',
          'The 10 capabilities checked most, per second, by verdict.',
          { h: 8, w: 12, x: 0, y: 28 },
          [d.range('topk(10, sum by (capability, verdict) (%s))' % rate(), '{{capability}} {{verdict}}')],
          'ops'
        ),
        d.table(
          'Top capabilities in the time range',
          'The 20 capabilities checked most in the time range.',
          { h: 8, w: 12, x: 12, y: 28 },
          ['topk(20, %s > 0)' % inRange('sum by (capability, verdict) ')],
          'Checks',
          [d.organize(['capability', 'verdict', 'Value'], { Value: 'Checks' })]
        ),
        // The node label is the scrape config's (deploy/'s monitors set it); without one the
        // instance stands in for it.
        d.timeseries(
          'Checks per second by node',
          "Checks per exporter: its target's node label where the scrape config sets one (deploy/'s ServiceMonitor and PodMonitor do), else its instance.",
          { h: 8, w: 24, x: 0, y: 36 },
          [
            d.range(
              std.rstripChars(|||
                sum by (node) (
                    label_replace(%s, "node", "$1", "instance", "(.*)")
                  or
                    %s
                )
              ||| % [rate(['node=""']), rate(['node!=""'])], '\n'),
              '{{node}}'
            ),
          ],
          'ops'
        ),
        // Checks container runtimes made setting containers up and entering them for execs:
        // never the workloads', never alerted on.
        d.timeseries(
          'Container runtime checks per second',
          "Checks container runtimes (runc, crun) made setting a container up or entering it for an exec, before the container's program ran, by container and capability. They are counted apart from the workloads' checks, and no alert fires on them: a steady rate means containers starting or exec probes.",
          { h: 8, w: 12, x: 0, y: 44 },
          [
            d.range(
              'sum by (namespace, pod, container, capability) (rate(%s[$__rate_interval]))'
              % runtimeChecks(),
              '{{namespace}}/{{pod}}/{{container}} {{capability}}'
            ),
          ],
          'ops'
        ),
        d.table(
          'Container runtime checks in the time range',
          'Checks container runtimes made for each container, by capability and verdict, in the time range. A container that starts and stops shows its setup once; each exec adds its own.',
          { h: 8, w: 12, x: 12, y: 44 },
          [
            promql.countedInRange('sum by (namespace, pod, container, capability, verdict) ', runtimeChecks())
            + ' > 0',
          ],
          'Checks',
          [
            d.organize(
              ['namespace', 'pod', 'container', 'capability', 'verdict', 'Value'], { Value: 'Checks' }
            ),
          ],
          overrides=[podLink]
        ),
      ]
    ),
  },
}
