// Each dashboard renders to grafana/<its key>; the three link to each other by their tag.
(import 'overview.libsonnet')
+ (import 'workload.libsonnet')
+ (import 'health.libsonnet')
