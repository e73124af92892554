{{/* Names and labels shared by every object. */}}

{{- define "posflow.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "posflow.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else if contains (include "posflow.name" .) .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name (include "posflow.name" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* The four deployables, in start-up order. */}}
{{- define "posflow.services" -}}
{{- list "gateway" "fetcher" "combiner" "importer" | toJson -}}
{{- end -}}

{{/* <fullname>-<component>; call with (dict "root" $ "name" "gateway"). */}}
{{- define "posflow.componentName" -}}
{{- printf "%s-%s" (include "posflow.fullname" .root) .name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* part-of=posflow and component=<name> are what the gateway's cluster view selects on. */}}
{{- define "posflow.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version | replace "+" "_" }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
app.kubernetes.io/part-of: posflow
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
{{ include "posflow.selectorLabels" . }}
{{- with .root.Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{- define "posflow.selectorLabels" -}}
app.kubernetes.io/name: {{ include "posflow.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .name }}
{{- end -}}

{{- define "posflow.serviceAccountName" -}}
{{- $svc := index .root.Values .name -}}
{{- if $svc.serviceAccount.create -}}
{{- default (include "posflow.componentName" .) $svc.serviceAccount.name -}}
{{- else -}}
{{- default "default" $svc.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "posflow.image" -}}
{{- $img := .image -}}
{{- printf "%s:%s" $img.repository (default .root.Chart.AppVersion $img.tag) -}}
{{- end -}}

{{- define "posflow.referenceConfigMap" -}}
{{- default (printf "%s-reference" (include "posflow.fullname" .)) .Values.reference.existingConfigMap -}}
{{- end -}}

{{/* An env var read from a Secret; call with (dict "env" "AMQP_URL" "ref" .Values.connections.amqp). */}}
{{- define "posflow.secretEnv" -}}
- name: {{ .env }}
  valueFrom:
    secretKeyRef:
      name: {{ .ref.secretName }}
      key: {{ .ref.secretKey }}
{{- end -}}

{{/* The grace period must outlast the service's own force-exit timer, or the kubelet kills it mid-shutdown. */}}
{{- define "posflow.checkShutdown" -}}
{{- $svc := index .root.Values .name -}}
{{- if le (mul (int $svc.terminationGracePeriodSeconds) 1000) (int $svc.shutdownTimeoutMs) -}}
{{- fail (printf "%s.terminationGracePeriodSeconds (%vs) must be longer than %s.shutdownTimeoutMs (%vms)" .name $svc.terminationGracePeriodSeconds .name $svc.shutdownTimeoutMs) -}}
{{- end -}}
{{- end -}}
