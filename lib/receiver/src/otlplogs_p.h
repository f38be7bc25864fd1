// SPDX-License-Identifier: MIT
#pragma once

// OTLP/HTTP logs (POST /otlp/v1/logs) as Loki 3 reads them: an ExportLogsServiceRequest in
// protobuf or OTLP JSON becomes the push request Loki's distributor makes of it.

#include "pushrequest_p.h"

#include <QtCore/QString>

namespace LokiReceiverInternal {

/*!
    Decodes an opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest (already
    uncompressed) and maps it as Loki 3 does (pkg/loghttp/push/otlp.go):
    - resource attributes on Loki's default_resource_attributes_as_index_labels list
      (service.name, service.namespace, service.instance.id, deployment.environment,
      deployment.environment.name, cloud.region, cloud.availability_zone, k8s.cluster.name,
      k8s.namespace.name, k8s.pod.name, k8s.container.name, container.name,
      k8s.replicaset.name, k8s.deployment.name, k8s.statefulset.name, k8s.daemonset.name,
      k8s.cronjob.name, k8s.job.name) become stream labels, a resource without service.name
      gets service_name="unknown_service";
    - the other resource attributes, the scope's name, version and attributes (scope_name,
      scope_version), and the record's attributes become structured metadata, with
      observed_timestamp, severity_number, severity_text, dropped_attributes_count, flags,
      trace_id and span_id (hex) where set;
    - names are normalized as Prometheus labels (anything but [a-zA-Z0-9_] becomes `_`), map
      values are flattened into `<name>_<key>`, other values are written as text (lists as
      JSON), the body is the line; the timestamp is time_unix_nano, else the observed time.
    Returns false and sets \a error for a malformed message; false with \a overCaps set for
    one with more streams or records than \a caps allow. \a records is set to the number of
    log records in the request.
*/
bool decodeOtlpProtobuf(const QByteArray &message, PushRequest *request, QString *error,
                        const PushCaps &caps = {}, bool *overCaps = nullptr);
//! The same from OTLP's JSON encoding (lowerCamelCase or snake_case names, hex ids, 64-bit
//! integers as strings or numbers).
bool decodeOtlpJson(const QByteArray &body, PushRequest *request, QString *error,
                    const PushCaps &caps = {}, bool *overCaps = nullptr);

//! The answer to an OTLP export: an ExportLogsServiceResponse, with partial_success when
//! \a rejected > 0, in protobuf or JSON (\a json).
QByteArray otlpExportResponse(bool json, qint64 rejected, const QByteArray &message);
//! A google.rpc.Status body for a refused export, in protobuf or JSON.
QByteArray otlpStatus(bool json, int code, const QByteArray &message);

} // namespace LokiReceiverInternal
