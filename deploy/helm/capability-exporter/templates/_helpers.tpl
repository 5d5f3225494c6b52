{{/* "<release>-capability-exporter", or the release's name when it already says it. */}}
{{- define "capability-exporter.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* What the Service, the monitors and the NetworkPolicy select the exporter pods by. */}}
{{- define "capability-exporter.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "capability-exporter.labels" -}}
{{ include "capability-exporter.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- end -}}

{{- define "capability-exporter.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "capability-exporter.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- required "serviceAccount.name: with serviceAccount.create=false, name the account the exporter runs as" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* The scrape endpoint's settings, the same for the ServiceMonitor and the PodMonitor. */}}
{{- define "capability-exporter.endpoint" -}}
port: metrics
path: /metrics
interval: {{ .Values.monitor.interval }}
{{- with .Values.monitor.scrapeTimeout }}
scrapeTimeout: {{ . }}
{{- end }}
# The series carry namespace, pod and container of the workload that made the check; the
# operator would otherwise overwrite them with the exporter pod's own target labels and rename
# the workload's to exported_namespace, exported_pod, exported_container.
honorLabels: true
relabelings:
  - sourceLabels: [__meta_kubernetes_pod_node_name]
    targetLabel: node
{{- with .Values.monitor.relabelings }}
{{ toYaml . | indent 2 }}
{{- end }}
{{- with .Values.monitor.metricRelabelings }}
metricRelabelings:
{{ toYaml . | indent 2 }}
{{- end }}
{{- if .Values.webConfig.enabled }}
# Over HTTPS, verifying the exporter's certificate against ca.crt under the Service's DNS name
# (give the certificate that name: the pod IPs it is reached at change), with the user and
# password of the scrape Secret.
scheme: https
tlsConfig:
  serverName: {{ .Values.webConfig.serverName | default (printf "%s.%s.svc" (include "capability-exporter.fullname" .) .Release.Namespace) }}
  ca:
    secret:
      name: {{ .Values.webConfig.scrapeSecret }}
      key: ca.crt
basicAuth:
  username:
    name: {{ .Values.webConfig.scrapeSecret }}
    key: username
  password:
    name: {{ .Values.webConfig.scrapeSecret }}
    key: password
{{- end }}
{{- end -}}

{{/* otlp.headers as the SDK's list: key=value pairs, comma-separated, values URL-encoded. */}}
{{- define "capability-exporter.otlpHeaders" -}}
{{- $pairs := list -}}
{{- range $key, $value := .Values.otlp.headers -}}
{{- $pairs = append $pairs (printf "%s=%s" $key (urlquery (toString $value))) -}}
{{- end -}}
{{- join "," $pairs -}}
{{- end -}}
