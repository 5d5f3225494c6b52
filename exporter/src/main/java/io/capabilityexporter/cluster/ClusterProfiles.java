package io.capabilityexporter.cluster;

import io.capabilityexporter.profiles.CorruptProfilesException;
import io.capabilityexporter.profiles.ProfileFormat;
import io.capabilityexporter.profiles.ProfileMerge;
import io.capabilityexporter.profiles.Profiles;
import io.capabilityexporter.profiles.WorkloadProfile;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One profile per workload for the whole cluster: every exporter's part, merged (ProfileMerge),
 * with the nodes each workload was seen on. An exporter that did not answer is named with why, and
 * makes every profile partial: what its node saw is missing from each.
 *
 * @param seenOn by workload title ({@code shop Deployment/cart}), the nodes whose part had it
 * @param answered the exporters that answered
 * @param missing the exporters that did not, with why
 */
public record ClusterProfiles(
    Profiles merged,
    Map<String, List<String>> seenOn,
    List<ExporterPod> answered,
    Map<ExporterPod, String> missing) {

  public static final String PATH = "/api/v1/profiles";

  public boolean partial() {
    return !missing.isEmpty();
  }

  /** Asks every exporter of the DaemonSet, one after another. */
  public static ClusterProfiles collect(KubernetesClient client, ClusterAccess access)
      throws ClusterException {
    List<ExporterPod> pods = ExporterPods.find(client, access);
    List<ExporterPod> answered = new ArrayList<>();
    Map<ExporterPod, String> missing = new LinkedHashMap<>();
    List<Profiles> parts = new ArrayList<>();
    Map<String, TreeSet<String>> seenOn = new TreeMap<>();
    try (ExporterRequests requests = new ExporterRequests(client, access)) {
      for (ExporterPod pod : pods) {
        if (!pod.running()) {
          missing.put(pod, "its pod is " + (pod.phase().isEmpty() ? "not running" : pod.phase()));
          continue;
        }
        try {
          Profiles part = ProfileFormat.parse(requests.get(pod, PATH));
          parts.add(part);
          answered.add(pod);
          for (WorkloadProfile workload : part.workloads()) {
            seenOn.computeIfAbsent(workload.title(), title -> new TreeSet<>()).add(pod.node());
          }
        } catch (IOException e) {
          missing.put(pod, e.getMessage());
        } catch (CorruptProfilesException e) {
          missing.put(pod, "its answer is not profiles: " + e.getMessage());
        }
      }
    }
    if (answered.isEmpty()) {
      StringBuilder why = new StringBuilder("no exporter answered:");
      missing.forEach(
          (pod, reason) -> why.append("\n  ").append(pod.title()).append(": ").append(reason));
      throw new ClusterException(why.toString());
    }
    Map<String, List<String>> nodes = new TreeMap<>();
    seenOn.forEach((title, on) -> nodes.put(title, List.copyOf(on)));
    return new ClusterProfiles(ProfileMerge.merge(parts), nodes, answered, missing);
  }

  /** The same answer, with only the workloads {@code kept}. */
  public ClusterProfiles filter(java.util.function.Predicate<WorkloadProfile> kept) {
    return new ClusterProfiles(merged.filter(kept), seenOn, answered, missing);
  }
}
