package io.capabilityexporter.logs;

import io.capabilityexporter.capabilities.Capability;
import io.capabilityexporter.domain.Flag;
import io.capabilityexporter.domain.Workload;
import io.capabilityexporter.events.CheckEvent;
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

  // Semantic conventions. comm is the kernel's task name: per thread, at most 15 bytes, and not
  // the executable's name (process.executable.name is the base name of /proc/PID/exe), so it is
  // thread.name. The cred's uid is the real uid: process.real_user.id.
  static final AttributeKey<String> K8S_NAMESPACE_NAME =
      AttributeKey.stringKey("k8s.namespace.name");
  static final AttributeKey<String> K8S_POD_NAME = AttributeKey.stringKey("k8s.pod.name");
  static final AttributeKey<String> K8S_CONTAINER_NAME =
      AttributeKey.stringKey("k8s.container.name");
  static final AttributeKey<Long> PROCESS_PID = AttributeKey.longKey("process.pid");
  static final AttributeKey<Long> PROCESS_REAL_USER_ID =
      AttributeKey.longKey("process.real_user.id");
  static final AttributeKey<Long> THREAD_ID = AttributeKey.longKey("thread.id");
  static final AttributeKey<String> THREAD_NAME = AttributeKey.stringKey("thread.name");
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

  // This project's.
  static final AttributeKey<String> NAME = AttributeKey.stringKey("capability.name");
  static final AttributeKey<Long> NUMBER = AttributeKey.longKey("capability.number");
  static final AttributeKey<String> VERDICT = AttributeKey.stringKey("capability.verdict");
  static final AttributeKey<Boolean> AUDIT = AttributeKey.booleanKey("capability.audit");
  static final AttributeKey<Boolean> INSETID = AttributeKey.booleanKey("capability.insetid");
  static final AttributeKey<String> SYSCALL = AttributeKey.stringKey("capability.syscall");
  static final AttributeKey<Long> COUNT = AttributeKey.longKey("capability.count");
  static final AttributeKey<Long> GID = AttributeKey.longKey("capability.gid");
  static final AttributeKey<String> CONTAINER = AttributeKey.stringKey("capability.container");
  static final AttributeKey<Long> TARGET_USERNS = AttributeKey.longKey("capability.target_userns");
  static final AttributeKey<Long> CURRENT_USERNS =
      AttributeKey.longKey("capability.current_userns");
  static final AttributeKey<Long> MOUNT_NS_ID = AttributeKey.longKey("capability.mount_ns_id");
  static final AttributeKey<String> EFFECTIVE_CAPS =
      AttributeKey.stringKey("capability.effective_caps");
  static final AttributeKey<Long> CGROUP_ID = AttributeKey.longKey("capability.cgroup_id");
  static final AttributeKey<List<String>> STACK = AttributeKey.stringArrayKey("capability.stack");
  static final AttributeKey<String> DENY_REASON = AttributeKey.stringKey("capability.deny_reason");
  static final AttributeKey<String> USERNS_SCOPE =
      AttributeKey.stringKey("capability.userns_scope");
  static final AttributeKey<String> ORIGIN = AttributeKey.stringKey("capability.origin");
  static final AttributeKey<String> DENY_CLASS = AttributeKey.stringKey("capability.deny_class");

  private CheckEventRecord() {}

  /** Sets everything the event says on {@code record}; the caller emits it. */
  static LogRecordBuilder fill(LogRecordBuilder record, CheckEvent event) {
    record
        .setEventName(EVENT_NAME)
        .setTimestamp(event.timestamp())
        .setSeverity(event.check().denied() ? Severity.WARN : Severity.INFO)
        .setSeverityText(event.check().denied() ? "WARN" : "INFO")
        .setBody(body(event));
    Workload workload = event.workload();
    if (!workload.namespace().isEmpty()) {
      record.setAttribute(K8S_NAMESPACE_NAME, workload.namespace());
    }
    if (!workload.pod().isEmpty()) {
      record.setAttribute(K8S_POD_NAME, workload.pod());
    }
    if (!workload.container().isEmpty()) {
      // Outside Kubernetes the container label names a container, a systemd unit or a cgroup.
      record.setAttribute(
          workload.pod().isEmpty() ? CONTAINER : K8S_CONTAINER_NAME, workload.container());
    }
    record
        .setAttribute(PROCESS_PID, (long) event.pid())
        .setAttribute(THREAD_ID, (long) event.tid())
        .setAttribute(THREAD_NAME, event.comm())
        .setAttribute(PROCESS_REAL_USER_ID, event.uid())
        .setAttribute(GID, event.gid())
        .setAttribute(NAME, Capability.name(event.check().capability()))
        .setAttribute(NUMBER, (long) event.check().capability())
        .setAttribute(VERDICT, event.check().denied() ? "deny" : "allow");
    if (event.check().audit() != Flag.UNKNOWN) {
      record.setAttribute(AUDIT, event.check().audit() == Flag.YES);
    }
    if (event.insetid() != Flag.UNKNOWN) {
      record.setAttribute(INSETID, event.insetid() == Flag.YES);
    }
    if (!event.syscall().isEmpty()) {
      record.setAttribute(SYSCALL, event.syscall());
    }
    record
        .setAttribute(COUNT, event.count())
        .setAttribute(TARGET_USERNS, event.targetUserNs())
        .setAttribute(CURRENT_USERNS, event.currentUserNs())
        .setAttribute(MOUNT_NS_ID, event.mountNsId())
        .setAttribute(EFFECTIVE_CAPS, hexMask(event.effectiveCaps()))
        .setAttribute(CGROUP_ID, event.cgroupId())
        .setAttribute(USERNS_SCOPE, event.usernsScope())
        .setAttribute(ORIGIN, event.origin().label());
    if (event.denyReason() != null) {
      record.setAttribute(DENY_REASON, event.denyReason().code());
    }
    if (event.check().denyClass() != io.capabilityexporter.domain.DenyClass.NONE) {
      record.setAttribute(DENY_CLASS, event.check().denyClass().label());
    }
    if (!event.stack().isEmpty()) {
      record.setAttribute(STACK, event.stack());
    }
    if (event.pod() != null) {
      pod(record, event);
    }
    return record;
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

  /** As {@code CapEff} in {@code /proc/PID/status}: 16 lower-case hex digits. */
  static String hexMask(long mask) {
    String hex = Long.toHexString(mask);
    return "0000000000000000".substring(hex.length()) + hex;
  }
}
