// capability-exporter's monitoring mixin: prometheusAlerts and grafanaDashboards, as the
// monitoring-mixins project lays a mixin out, with what a user may change in _config
// (config.libsonnet). mixin/render.sh renders it into alerts/ and grafana/.
(import 'config.libsonnet')
+ (import 'alerts/alerts.libsonnet')
+ (import 'dashboards/dashboards.libsonnet')
