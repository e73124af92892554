{{/*
Environment of each service, following the service conventions
(docs/kubernetes.md). Call with (dict "root" $ "name" "<service>").
*/}}
{{- define "posflow.env" -}}
{{- $root := .root -}}
{{- $svc := index $root.Values .name -}}
{{- $v := $root.Values -}}
- name: NODE_ENV
  value: production
- name: LOG_LEVEL
  value: {{ $svc.logLevel | quote }}
- name: OPS_PORT
  value: {{ $v.opsPort | quote }}
- name: SHUTDOWN_TIMEOUT_MS
  value: {{ $svc.shutdownTimeoutMs | quote }}
{{ include "posflow.secretEnv" (dict "env" "AMQP_URL" "ref" $v.connections.amqp) }}
{{ include "posflow.secretEnv" (dict "env" "MONGO_URL" "ref" $v.connections.mongo) }}
{{- if hasKey $svc "prefetch" }}
- name: PREFETCH
  value: {{ $svc.prefetch | quote }}
{{- end }}
{{- if eq .name "gateway" }}
- name: GATEWAY_PORT
  value: {{ $svc.port | quote }}
- name: REFERENCE_DIR
  value: {{ $v.reference.mountPath | quote }}
- name: METRICS_REFRESH_MS
  value: {{ $svc.metricsRefreshMs | quote }}
- name: POSFLOW_NAMESPACE
  value: {{ default $root.Release.Namespace $v.clusterViewNamespace | quote }}
{{ include "posflow.secretEnv" (dict "env" "POSFLOW_API_KEYS" "ref" $v.apiKeys) }}
{{ include "posflow.secretEnv" (dict "env" "RABBITMQ_MANAGEMENT_URL" "ref" $v.connections.rabbitmqManagement) }}
{{- else if eq .name "fetcher" }}
- name: UPSTREAM_BASE_URL
  value: {{ $svc.upstream.baseUrl | quote }}
- name: UPSTREAM_MAX_CONCURRENCY
  value: {{ $svc.upstream.maxConcurrency | quote }}
- name: UPSTREAM_TIMEOUT_MS
  value: {{ $svc.upstream.timeoutMs | quote }}
- name: UPSTREAM_DOWNLOAD_TIMEOUT_MS
  value: {{ $svc.upstream.downloadTimeoutMs | quote }}
- name: BREAKER_FAILURE_THRESHOLD
  value: {{ $svc.breaker.failureThreshold | quote }}
- name: BREAKER_OPEN_MS
  value: {{ $svc.breaker.openMs | quote }}
{{- else if eq .name "combiner" }}
- name: REFERENCE_DIR
  value: {{ $v.reference.mountPath | quote }}
- name: TMP_DIR
  value: /spill
{{- else if eq .name "importer" }}
- name: IMPORT_BATCH_SIZE
  value: {{ $svc.batchSize | quote }}
{{- end }}
{{- range $k, $val := $svc.env }}
- name: {{ $k }}
  value: {{ $val | toString | quote }}
{{- end }}
{{- with $svc.extraEnv }}
{{ toYaml . }}
{{- end }}
{{- end -}}
