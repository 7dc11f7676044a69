{{/* Names and labels. */}}
{{- define "haven.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "haven.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- end -}}

{{/* Selector labels of one component (web, worker, beat, migrate). */}}
{{- define "haven.selectorLabels" -}}
app.kubernetes.io/name: {{ .root.Chart.Name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "haven.image" -}}
{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}
{{- end -}}

{{- define "haven.secretName" -}}
{{- required "existingSecret is required: the name of a Secret with HAVEN_SECRET_KEY, DATABASE_URL, REDIS_URL, S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY" .Values.existingSecret -}}
{{- end -}}

{{/* The ConfigMap's data: values.config plus what the chart derives. */}}
{{/* The proxies whose X-Forwarded-For names the client (and whose X-Forwarded-Proto gunicorn
believes): never every peer, or any client could choose its own address. */}}
{{- define "haven.trustedProxies" -}}
{{- if not .Values.trustedProxies -}}
{{- fail "trustedProxies is required: the ingress controller's pod range(s), e.g. [\"10.42.0.0/16\"]" -}}
{{- end -}}
{{- join "," .Values.trustedProxies -}}
{{- end -}}

{{- define "haven.configData" -}}
HAVEN_BASE_DOMAIN: {{ required "baseDomain is required (schools answer at <school>.<baseDomain>)" .Values.baseDomain | quote }}
HAVEN_TRUSTED_PROXIES: {{ include "haven.trustedProxies" . | quote }}
FORWARDED_ALLOW_IPS: {{ include "haven.trustedProxies" . | quote }}
{{- range $name, $value := .Values.config }}
{{ $name }}: {{ $value | toString | quote }}
{{- end }}
{{- end -}}

{{/* Environment of every Haven container: the ConfigMap, then each key of the Secret. */}}
{{- define "haven.env" -}}
envFrom:
  - configMapRef:
      name: {{ .configMap }}
env:
{{- range .root.Values.secretKeys.required }}
  - name: {{ . }}
    valueFrom:
      secretKeyRef:
        name: {{ include "haven.secretName" $.root }}
        key: {{ . }}
{{- end }}
{{- range .root.Values.secretKeys.optional }}
  - name: {{ . }}
    valueFrom:
      secretKeyRef:
        name: {{ include "haven.secretName" $.root }}
        key: {{ . }}
        optional: true
{{- end }}
{{- end -}}

{{/* Writable scratch space: the root filesystem is read-only. */}}
{{- define "haven.tmpVolume" -}}
- name: tmp
  emptyDir:
    sizeLimit: 256Mi
{{- end -}}

{{- define "haven.tmpMount" -}}
- name: tmp
  mountPath: /tmp
{{- end -}}

{{- define "haven.podSpecCommon" -}}
serviceAccountName: {{ include "haven.fullname" . }}
automountServiceAccountToken: false
securityContext:
  {{- toYaml .Values.podSecurityContext | nindent 2 }}
{{- with .Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end -}}
