package io.capabilityexporter.logs;

import io.capabilityexporter.capabilities.Capability;
import io.capabilityexporter.domain.Flag;
import io.capabilityexporter.events.CheckEvent;
import io.capabilityexporter.events.EventFields;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.logs.LogRecordBuilder;
import io.opentelemetry.api.logs.Severity;
import java.util.List;
import java.util.Map;

/**
 * One check event as one log record: event name {@value #EVENT_NAME}, the time of the check, {@code
 * WARN} for a deny and {@code INFO} for an allow, a line a person reads as the body, and
 * attributes. OpenTelemetry semantic conventions where one means exactly the field ({@code k8s.*}
 * with the pod's uid and owning workload, {@code container.id}, {@code container.image.*}, {@code
 * process.pid}, {@code process.real_user.id}, {@code thread.*}); everything else under {@code
 * capability.}.
 */
final class CheckEventRecord {
  static final String EVENT_NAME = "capability.check";

  // Semantic conventions where one means exactly the field (EventFields names them); these are
  // the pod's, which only the API server knows.
  static final AttributeKey<String> K8S_POD_UID = AttributeKey.stringKey("k8s.pod.uid");
  static final AttributeKey<String> CONTAINER_ID = AttributeKey.stringKey("container.id");
  static final AttributeKey<String> CONTAINER_IMAGE_NAME =
      AttributeKey.stringKey("container.image.name");
  static final AttributeKey<List<String>> CONTAINER_IMAGE_TAGS =
      AttributeKey.stringArrayKey("container.image.tags");

  /** The owning workload's kind as the {@code k8s.<kind>.name} conventions name it. */
  private static final Map<String, AttributeKey<String>> OWNER_KEYS =
      Map.of(
          "Deployment", AttributeKey.stringKey("k8s.deployment.name"),
          "ReplicaSet", AttributeKey.stringKey("k8s.replicaset.name"),
          "StatefulSet", AttributeKey.stringKey("k8s.statefulset.name"),
          "DaemonSet", AttributeKey.stringKey("k8s.daemonset.name"),
          "Job", AttributeKey.stringKey("k8s.job.name"),
          "CronJob", AttributeKey.stringKey("k8s.cronjob.name"));

  /** Each field's attribute, made once: a record is filled tens of thousands of times a second. */
  private static final List<Attribute> ATTRIBUTES =
      EventFields.ALL.stream()
          .filter(field -> field.otlp() != null)
          .map(field -> new Attribute(field, key(field)))
          .toList();

  private record Attribute(EventFields.Field field, AttributeKey<?> key) {}

  private CheckEventRecord() {}

  /** Sets everything the event says on {@code record}; the caller emits it. */
  static LogRecordBuilder fill(LogRecordBuilder record, CheckEvent event) {
    record
        .setEventName(EVENT_NAME)
        .setTimestamp(event.timestamp())
        .setSeverity(event.check().denied() ? Severity.WARN : Severity.INFO)
        .setSeverityText(event.check().denied() ? "WARN" : "INFO")
        .setBody(body(event));
    for (Attribute attribute : ATTRIBUTES) {
      set(record, attribute, attribute.field().otlpValueIn(event));
    }
    if (event.pod() != null) {
      pod(record, event);
    }
    return record;
  }

  private static AttributeKey<?> key(EventFields.Field field) {
    return switch (field.kind()) {
      case TEXT, MASK -> AttributeKey.stringKey(field.otlp());
      case NUMBER -> AttributeKey.longKey(field.otlp());
      case FLAG -> AttributeKey.booleanKey(field.otlp());
      case NAMES -> AttributeKey.stringArrayKey(field.otlp());
    };
  }

  /**
   * One rendering per kind: nothing for a value the event lacks, an empty text or an unknown flag.
   */
  @SuppressWarnings("unchecked")
  private static void set(LogRecordBuilder record, Attribute attribute, Object value) {
    if (value == null) {
      return;
    }
    switch (attribute.field().kind()) {
      case TEXT -> {
        if (!((String) value).isEmpty()) {
          record.setAttribute((AttributeKey<String>) attribute.key(), (String) value);
        }
      }
      case NUMBER ->
          record.setAttribute((AttributeKey<Long>) attribute.key(), ((Number) value).longValue());
      case FLAG -> {
        if (value != Flag.UNKNOWN) {
          record.setAttribute((AttributeKey<Boolean>) attribute.key(), value == Flag.YES);
        }
      }
      case MASK ->
          record.setAttribute(
              (AttributeKey<String>) attribute.key(), EventFields.hex((Long) value));
      case NAMES ->
          record.setAttribute(
              (AttributeKey<List<String>>) attribute.key(), EventFields.names(value));
    }
  }

  private static void pod(LogRecordBuilder record, CheckEvent event) {
    record.setAttribute(K8S_POD_UID, event.pod().uid());
    AttributeKey<String> owner = OWNER_KEYS.get(event.pod().owner().kind());
    if (owner != null) {
      record.setAttribute(owner, event.pod().owner().name());
    }
    if (!event.containerId().isEmpty()) {
      record.setAttribute(CONTAINER_ID, event.containerId());
    }
    String image = event.pod().image(event.workload().container());
    if (!image.isEmpty()) {
      // registry:5000/shop/cart:1.4 -> name registry:5000/shop/cart, tags [1.4]; digests stay.
      int slash = image.lastIndexOf('/');
      int colon = image.lastIndexOf(':');
      if (colon > slash && !image.contains("@")) {
        record.setAttribute(CONTAINER_IMAGE_NAME, image.substring(0, colon));
        record.setAttribute(CONTAINER_IMAGE_TAGS, List.of(image.substring(colon + 1)));
      } else {
        record.setAttribute(CONTAINER_IMAGE_NAME, image);
      }
    }
  }

  /** {@code nice (pid 4711) was denied SYS_NICE in setpriority}, and how often when folded. */
  static String body(CheckEvent event) {
    StringBuilder line =
        new StringBuilder(64)
            .append(event.comm())
            .append(" (pid ")
            .append(event.pid())
            .append(") was ")
            .append(event.check().denied() ? "denied " : "allowed ")
            .append(Capability.name(event.check().capability()));
    if (!event.syscall().isEmpty()) {
      line.append(" in ").append(event.syscall());
    }
    if (event.count() > 1) {
      line.append(", ").append(event.count()).append(" times");
    }
    return line.toString();
  }
}
