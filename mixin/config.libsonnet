// What a user of the mixin may change: import mixin.libsonnet and override fields of _config, as
// with kubernetes-mixin or node-mixin (docs/alerts.md). The defaults render alerts/ and grafana/
// as committed.
local defaultJobSelector = 'job=~".*capability-exporter.*"';

{
  _config+:: {
    local config = self,

    // Every series selector of the alerts and dashboards carries it. `up` needs one, and the
    // exporter's own series are selected alike so that one Prometheus (or Thanos) holding several
    // such jobs can be told which is meant. The default matches the job of deploy/'s
    // ServiceMonitor ("capability-exporter", the Service's name), of its PodMonitor
    // ("capability-exporter/capability-exporter", namespace/name) and of a scrape config of your
    // own whose job_name contains capability-exporter. CapabilityExporterAbsent fires while no
    // such job exists: a monitor the Prometheus Operator did not select, or a job named otherwise.
    jobSelector: defaultJobSelector,

    // Which workloads' checks the alerts on checks and the overview and workload dashboards look
    // at, by the checks' namespace and pod labels: the workload's (the monitors scrape with
    // honorLabels), not the exporter's, so the exporter's own health is not filtered by them.
    // '' is every workload and the host, whose checks have no namespace or pod. For example
    // 'namespace=~"shop|ci"' or 'namespace!="kube-system"'.
    namespaceSelector: '',
    podSelector: '',

    // runbook_url of each alert: std.format(runbookURLPattern, alert name). The default is the
    // runbook's path in this repository; point it at your copy, e.g.
    // 'https://git.example.com/you/capability-exporter/blob/main/alerts/runbooks/%s.md'.
    runbookURLPattern: 'alerts/runbooks/%s.md',

    // How long each alert's condition must hold before it fires; its description says the same.
    // The alerts on checks fire at once: a single deny is the finding. The health alerts wait
    // out a rollout or a restart.
    alertFor: {
      CapabilityUnexpectedDeny: '0m',
      CapabilityUnexpectedSysAdmin: '0m',
      CapabilityExporterDown: '10m',
      CapabilityExporterAbsent: '15m',
      CapabilityExporterHookNotAttached: '10m',
      CapabilityExporterAuditFlagUnknown: '10m',
      CapabilityExporterEventsDropped: '15m',
      CapabilityExporterAttributionFailing: '15m',
      CapabilityExporterCountsMapFull: '5m',
      CapabilityExporterKubernetesWatchDown: '10m',
      CapabilityExporterKubernetesApiErrors: '15m',
      CapabilityExporterPolicyReloadFailed: '5m',
      CapabilityExporterWebConfigReloadFailed: '5m',
    },

    // CapabilityExporterAbsent's words for the targets jobSelector selects and for how a scrape
    // config of your own becomes one: absent() has no labels to name. A jobSelector of your own
    // is quoted as it is, so the description stays true without being told.
    jobSelectorWords:
      if self.jobSelector == defaultJobSelector then {
        targets: 'whose job matches .*capability-exporter.*',
        scrapeConfig: 'a job_name containing capability-exporter',
      } else {
        targets: 'matching {%s}' % config.jobSelector,
        scrapeConfig: 'target labels matching {%s}' % config.jobSelector,
      },
  },
}
