// One namespace, pod and container(s): what the workload uses, is denied, and what nothing
// expects; "Capabilities seen" is a start for its securityContext.capabilities.
local d = import '../lib/dashboard.libsonnet';
local promql = import '../lib/promql.libsonnet';

{
  grafanaDashboards+:: {
    local c = $._config,
    local selectors = [c.jobSelector, c.namespaceSelector, c.podSelector],
    // Each variable offers only the values left by the ones before it.
    local chosen = ['namespace=~"$namespace"', 'pod=~"$pod"', 'container=~"$container"'],
    local values(label, before) = 'label_values(%s, %s)'
                                  % [promql.series('capability_checks_total', selectors + before), label],
    local checks(matchers=[]) = promql.series('capability_checks_total', selectors + matchers + chosen),
    local rate(matchers=[]) = 'rate(%s[$__rate_interval])' % checks(matchers),
    local inRange(aggregation, matchers=[]) = promql.countedInRange(aggregation, checks(matchers)),

    'capability-workload.json': d.dashboard(
      'capability-workload',
      'Capability checks / Workload',
      'The capabilities one workload uses: over time, denied, unexpected, and what its securityContext needs.',
      'now-6h',
      [
        d.variable('namespace', 'Namespace', values('namespace', []), multi=false),
        d.variable('pod', 'Pod', values('pod', chosen[0:1]), multi=false),
        d.variable('container', 'Container', values('container', chosen[0:2]), multi=true),
      ],
      [
        d.stat(
          'Checks per second',
          'Capability checks of the workload, now.',
          { h: 4, w: 6, x: 0, y: 0 },
          'sum(%s) or vector(0)' % rate(),
          unit='ops'
        ),
        d.stat(
          'Denies',
          'Denied checks in the time range.',
          { h: 4, w: 6, x: 6, y: 0 },
          inRange('sum', ['verdict="deny"']) + ' or vector(0)',
          alarm=true
        ),
        d.stat(
          'Unexpected checks',
          'Checks nothing expects (spec, annotation, policy file, noaudit), in the time range.',
          { h: 4, w: 6, x: 12, y: 0 },
          inRange('sum', ['expected="false"']) + ' or vector(0)',
          alarm=true
        ),
        d.stat(
          'Capabilities used',
          'Distinct capabilities checked in the time range.',
          { h: 4, w: 6, x: 18, y: 0 },
          'count(%s > 0) or vector(0)' % inRange('sum by (capability) '),
          colored=false
        ),
        d.timeseries(
          'Capabilities used per second',
          'Checks by capability and verdict.',
          { h: 8, w: 24, x: 0, y: 4 },
          [d.range('sum by (capability, verdict) (%s)' % rate(), '{{capability}} {{verdict}}')],
          'ops',
          legend='right'
        ),
        d.timeseries(
          'Denies per second',
          'Denied checks by container and capability; expected="true" denies are declared harmless (annotation or policy file) or noaudit probes.',
          { h: 8, w: 12, x: 0, y: 12 },
          [
            d.range(
              'sum by (container, capability, expected) (%s)' % rate(['verdict="deny"']),
              '{{container}} {{capability}} expected={{expected}}'
            ),
          ],
          'ops',
          overrides=[d.color('byRegexp', '.*expected=false', 'red')]
        ),
        d.timeseries(
          'Unexpected checks per second',
          'Checks nothing expects, allowed or denied.',
          { h: 8, w: 12, x: 12, y: 12 },
          [
            d.range(
              'sum by (container, capability, verdict) (%s)' % rate(['expected="false"']),
              '{{container}} {{capability}} {{verdict}}'
            ),
          ],
          'ops',
          overrides=[d.color('byRegexp', '.* deny', 'red')]
        ),
        d.table(
          'Unexpected in the time range',
          "What nothing expects: add what the workload needs to the container's securityContext.capabilities.add (allowed checks) or fix it (denied checks); list what is harmless in the pod's capability-exporter.io/expected annotation or the policy file.",
          { h: 10, w: 12, x: 0, y: 20 },
          [inRange('sum by (container, capability, verdict) ', ['expected="false"']) + ' > 0'],
          'Checks',
          [d.organize(['container', 'capability', 'verdict', 'Value'], { Value: 'Checks' })],
          overrides=[
            {
              matcher: { id: 'byName', options: 'verdict' },
              properties: [
                { id: 'custom.cellOptions', value: { type: 'color-text' } },
                {
                  id: 'mappings',
                  value: [
                    {
                      type: 'value',
                      options: {
                        allow: { color: 'green', index: 0 },
                        deny: { color: 'red', index: 1 },
                      },
                    },
                  ],
                },
              ],
            },
          ]
        ),
        d.table(
          'Capabilities seen',
          "Every capability the workload's containers asked for in the time range: a start for securityContext.capabilities (drop ALL, add what is allowed and needed). Allowed checks include expected noaudit probes (SYS_ADMIN on mmap and execve) that need no grant; denied ones show what the container lacked.",
          { h: 10, w: 12, x: 12, y: 20 },
          [
            inRange('sum by (container, capability) ', ['verdict="allow"']) + ' > 0',
            inRange('sum by (container, capability) ', ['verdict="deny"']) + ' > 0',
          ],
          'Allowed',
          [
            d.merge,
            d.organize(
              ['container', 'capability', 'Value #A', 'Value #B'],
              { 'Value #A': 'Allowed', 'Value #B': 'Denied' }
            ),
          ]
        ),
      ]
    ),
  },
}
