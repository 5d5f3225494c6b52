// Each group renders to alerts/<group name>.rules.yml.
(import 'checks.libsonnet')
+ (import 'health.libsonnet')
