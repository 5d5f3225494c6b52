package io.capabilityexporter.kubernetes;

import io.capabilityexporter.domain.Owner;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The workload that owns a pod, from its controller reference alone, so the exporter needs no RBAC
 * beyond pods: a ReplicaSet named {@code <deployment>-<pod-template-hash>} belongs to that
 * Deployment, and a Job named {@code <cronjob>-<scheduled minutes>} to that CronJob, as their
 * controllers name them.
 */
final class Owners {
  static final String TEMPLATE_HASH_LABEL = "pod-template-hash";

  /** CronJob names its Jobs {@code <name>-<minutes since the epoch>}: 8 digits and more. */
  private static final Pattern CRONJOB_JOB = Pattern.compile("(.+)-\\d{8,}");

  private Owners() {}

  /** Kind and name of the pod's workload; {@code Pod} and its own name when nothing owns it. */
  static Owner of(Pod pod) {
    OwnerReference controller = controller(pod.getMetadata().getOwnerReferences());
    if (controller == null || controller.getKind() == null || controller.getName() == null) {
      return new Owner("Pod", nullToEmpty(pod.getMetadata().getName()));
    }
    String kind = controller.getKind();
    String name = controller.getName();
    if (kind.equals("ReplicaSet")) {
      String hash =
          pod.getMetadata().getLabels() == null
              ? null
              : pod.getMetadata().getLabels().get(TEMPLATE_HASH_LABEL);
      if (hash != null && !hash.isEmpty() && name.endsWith("-" + hash)) {
        return new Owner("Deployment", name.substring(0, name.length() - hash.length() - 1));
      }
    }
    if (kind.equals("Job")) {
      var cron = CRONJOB_JOB.matcher(name);
      if (cron.matches()) {
        return new Owner("CronJob", cron.group(1));
      }
    }
    return new Owner(kind, name);
  }

  private static OwnerReference controller(List<OwnerReference> owners) {
    if (owners == null) {
      return null;
    }
    for (OwnerReference owner : owners) {
      if (Boolean.TRUE.equals(owner.getController())) {
        return owner;
      }
    }
    return null;
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }
}
