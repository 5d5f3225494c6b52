package io.capabilityexporter.profiles;

import static io.capabilityexporter.profiles.ProfileText.printable;

import com.fasterxml.jackson.databind.node.TextNode;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Each workload's recommendation as something to apply. In Kubernetes, a strategic-merge patch of
 * the workload's pod template; {@code capabilities.add} and {@code drop} are plain lists, so the
 * patch replaces them whole, and grants it leaves out are gone:
 *
 * <pre>
 * # shop Deployment/cart
 * # kubectl -n shop patch deployment cart --patch-file=PATCH.yaml
 * # cart: cut short: denied SYS_CHROOT right before the process exited: added; record again with it
 * # cart: granted but never used NET_ADMIN: dropped here
 * # cart: Pod Security Standards: baseline no (SYS_NICE not allowed); restricted no (...)
 * spec:
 *   template:
 *     spec:
 *       containers:
 *       - name: cart
 *         securityContext:
 *           capabilities:
 *             drop: [ALL]
 *             add: [SYS_CHROOT, SYS_NICE]
 * </pre>
 *
 * Outside Kubernetes there is nothing to patch: comments give the {@code podman run} or {@code
 * docker run} flags, as the container's engine takes them, or the systemd unit settings.
 */
final class ProfilePatch {
  private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

  private ProfilePatch() {}

  static String render(Profiles profiles) {
    StringBuilder out = new StringBuilder();
    for (WorkloadProfile workload : profiles.workloads()) {
      if (out.length() > 0) {
        out.append("---\n");
      }
      if (workload.kubernetes()) {
        kubernetes(out, workload);
      } else {
        host(out, workload);
      }
    }
    return out.toString();
  }

  private static void kubernetes(StringBuilder out, WorkloadProfile workload) {
    comment(out, workload.title());
    String kind = workload.kind();
    String indent;
    switch (kind) {
      case "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController" -> {
        patchCommand(out, workload);
        notes(out, workload);
        out.append("spec:\n  template:\n    spec:\n");
        indent = "      ";
      }
      case "Job" -> {
        // A Job's pod template is immutable: the API server refuses the patch.
        comment(out, "a Job's pod template cannot change: merge this into its manifest, rerun it");
        notes(out, workload);
        out.append("spec:\n  template:\n    spec:\n");
        indent = "      ";
      }
      case "CronJob" -> {
        patchCommand(out, workload);
        notes(out, workload);
        out.append("spec:\n  jobTemplate:\n    spec:\n      template:\n        spec:\n");
        indent = "          ";
      }
      case "Pod" -> {
        // The kubelet rejects changes to a running pod's securityContext.
        comment(
            out,
            "a pod's securityContext cannot change: merge this into its manifest, recreate it");
        notes(out, workload);
        out.append("spec:\n");
        indent = "  ";
      }
      default -> {
        comment(out, "not a built-in workload: merge this into its pod template's spec");
        notes(out, workload);
        indent = "";
      }
    }
    out.append(indent).append("containers:\n");
    for (ContainerProfile container : workload.containers()) {
      Recommendation recommendation = Recommendation.of(container);
      out.append(indent).append("- name: ").append(scalar(container.name())).append('\n');
      out.append(indent).append("  securityContext:\n");
      if (recommendation.privileged()) {
        out.append(indent).append("    privileged: false\n");
      }
      out.append(indent).append("    capabilities:\n");
      out.append(indent).append("      drop: [ALL]\n");
      out.append(indent)
          .append("      add: [")
          .append(
              String.join(", ", recommendation.add().stream().map(ProfilePatch::scalar).toList()))
          .append("]\n");
    }
  }

  private static void patchCommand(StringBuilder out, WorkloadProfile workload) {
    comment(
        out,
        "kubectl -n "
            + workload.namespace()
            + " patch "
            + workload.kind().toLowerCase(Locale.ROOT)
            + " "
            + workload.name()
            + " --patch-file=PATCH.yaml");
  }

  private static void host(StringBuilder out, WorkloadProfile workload) {
    comment(out, workload.title() + " (no Kubernetes)");
    notes(out, workload);
    for (ContainerProfile container : workload.containers()) {
      List<String> add = Recommendation.of(container).add();
      switch (workload.kind()) {
        case WorkloadProfile.PODMAN_CONTAINER,
            WorkloadProfile.DOCKER_CONTAINER,
            WorkloadProfile.CONTAINER -> {
          StringBuilder flags =
              new StringBuilder(
                  switch (workload.kind()) {
                    case WorkloadProfile.PODMAN_CONTAINER -> "podman run";
                    case WorkloadProfile.DOCKER_CONTAINER -> "docker run";
                    default -> "run it (nerdctl, docker or podman run) with";
                  });
          flags.append(" --cap-drop=ALL");
          add.forEach(cap -> flags.append(" --cap-add=").append(cap));
          comment(out, flags.append(" ...").toString());
        }
        case WorkloadProfile.SYSTEMD_UNIT -> {
          List<String> caps = add.stream().map(cap -> "CAP_" + cap).toList();
          comment(out, "systemctl edit " + workload.name() + ", then under [Service]:");
          // An empty assignment clears what the unit already sets; the next one starts afresh.
          comment(out, "CapabilityBoundingSet=");
          if (!caps.isEmpty()) {
            comment(out, "CapabilityBoundingSet=" + String.join(" ", caps));
          }
          comment(out, "AmbientCapabilities=" + String.join(" ", caps));
          comment(out, "(AmbientCapabilities= matters only when User= is not root)");
        }
        default ->
            comment(
                out, "capabilities needed: " + (add.isEmpty() ? "none" : String.join(" ", add)));
      }
    }
  }

  private static void notes(StringBuilder out, WorkloadProfile workload) {
    for (ContainerProfile container : workload.containers()) {
      Recommendation recommendation = Recommendation.of(container);
      String name = container.name() + ": ";
      if (!recommendation.denied().isEmpty()) {
        comment(
            out,
            name
                + "cut short: denied "
                + String.join(", ", recommendation.denied())
                + " right before the process exited: added; record again with "
                + (recommendation.denied().size() == 1 ? "it" : "them"));
      }
      if (!recommendation.coped().isEmpty()) {
        comment(
            out,
            name
                + "denied "
                + String.join(", ", recommendation.coped())
                + ", and the program went on without: not added");
      }
      if (!recommendation.unusedGrants().isEmpty()) {
        comment(
            out,
            name
                + "granted but never used "
                + String.join(", ", recommendation.unusedGrants())
                + ": dropped here");
      }
      if (workload.kubernetes()) {
        comment(out, name + "Pod Security Standards: " + ProfileText.verdicts(recommendation));
      }
    }
  }

  private static void comment(StringBuilder out, String text) {
    out.append("# ").append(printable(text)).append('\n');
  }

  /** A name as a YAML scalar: plain when safe, else double-quoted (JSON's quoting is YAML's). */
  private static String scalar(String name) {
    return PLAIN.matcher(name).matches() ? name : new TextNode(name).toString();
  }
}
