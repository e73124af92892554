{{/*
Environment of each service, following the service conventions
(docs/kubernetes.md). Call with (dict "root" $ "name" "<service>").
Milliseconds and bytes go through int64: a values-file number of a million or
more would otherwise render as 2.16e+07.
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
- name: RETRY_DELAYS_MS
  value: {{ $v.messaging.retryDelaysMs | toString | quote }}
- name: DELIVERY_LIMIT
  value: {{ $v.messaging.deliveryLimit | quote }}
{{- if hasKey $svc "prefetch" }}
- name: PREFETCH
  value: {{ $svc.prefetch | quote }}
- name: MAX_ATTEMPTS
  value: {{ $v.messaging.maxAttempts | quote }}
{{- end }}
{{- if eq .name "gateway" }}
- name: GATEWAY_PORT
  value: {{ $svc.port | quote }}
- name: REFERENCE_DIR
  value: {{ $v.reference.mountPath | quote }}
- name: METRICS_REFRESH_MS
  value: {{ $svc.metricsRefreshMs | quote }}
- name: MAX_RANGE_DAYS
  value: {{ $svc.maxRangeDays | quote }}
- name: INFLIGHT_FRESH_MS
  value: {{ $svc.inflightFreshMs | int64 | quote }}
- name: STUCK_SWEEP_INTERVAL_MS
  value: {{ $svc.stuckSweepIntervalMs | int64 | quote }}
- name: RATE_LIMIT_PER_MINUTE
  value: {{ $svc.rateLimit.perMinute | quote }}
- name: RATE_LIMIT_BURST
  value: {{ $svc.rateLimit.burst | quote }}
- name: MAX_UPLOAD_BYTES
  value: {{ $svc.maxUploadBytes | int64 | quote }}
- name: SSE_INTERVAL_MS
  value: {{ $svc.sseIntervalMs | int64 | quote }}
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
- name: UPSTREAM_IDLE_TIMEOUT_MS
  value: {{ $svc.upstream.idleTimeoutMs | int64 | quote }}
- name: UPSTREAM_DOWNLOAD_TIMEOUT_MS
  value: {{ $svc.upstream.downloadTimeoutMs | int64 | quote }}
- name: UPSTREAM_DOWNLOAD_TRIES
  value: {{ $svc.upstream.downloadTries | quote }}
- name: UPSTREAM_RETRY_BACKOFF_MS
  value: {{ $svc.upstream.retryBackoffMs | int64 | quote }}
- name: UPSTREAM_PERMIT_LEASE_MS
  value: {{ $svc.upstream.permitLeaseMs | int64 | quote }}
- name: UPSTREAM_PERMIT_SETTLE_MS
  value: {{ $svc.upstream.permitSettleMs | int64 | quote }}
{{- with $svc.upstream.userAgent }}
- name: UPSTREAM_USER_AGENT
  value: {{ . | quote }}
{{- end }}
{{- with $svc.upstream.referer }}
- name: UPSTREAM_REFERER
  value: {{ . | quote }}
{{- end }}
{{- with $svc.upstream.origin }}
- name: UPSTREAM_ORIGIN
  value: {{ . | quote }}
{{- end }}
- name: BREAKER_FAILURE_THRESHOLD
  value: {{ $svc.breaker.failureThreshold | quote }}
- name: BREAKER_OPEN_MS
  value: {{ $svc.breaker.openMs | quote }}
- name: BREAKER_MAX_WAIT_MS
  value: {{ $svc.breaker.maxWaitMs | int64 | quote }}
- name: BREAKER_SHARED
  value: {{ $svc.breaker.shared | quote }}
{{- else if eq .name "combiner" }}
- name: REFERENCE_DIR
  value: {{ $v.reference.mountPath | quote }}
- name: TMP_DIR
  value: /spill
- name: REFERENCE_RELOAD_MS
  value: {{ $svc.referenceReloadMs | int64 | quote }}
- name: DROPPED_ROWS_BATCH
  value: {{ $svc.droppedRowsBatch | quote }}
{{- else if eq .name "importer" }}
- name: IMPORT_BATCH_SIZE
  value: {{ $svc.batchSize | quote }}
- name: JOB_REFRESH_DELAY_MS
  value: {{ $svc.jobRefreshDelayMs | int64 | quote }}
- name: MONTH_SUMMARY_INTERVAL_MS
  value: {{ $svc.monthSummaryIntervalMs | int64 | quote }}
- name: MONTH_SUMMARY_QUIET_MS
  value: {{ $svc.monthSummaryQuietMs | int64 | quote }}
- name: MONTH_SUMMARY_MAX_LAG_MS
  value: {{ $svc.monthSummaryMaxLagMs | int64 | quote }}
{{- end }}
{{- range $k, $val := $svc.env }}
- name: {{ $k }}
  value: {{ $val | toString | quote }}
{{- end }}
{{- with $svc.extraEnv }}
{{ toYaml . }}
{{- end }}
{{- end -}}
