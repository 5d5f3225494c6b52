package io.capabilityexporter.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capabilityexporter.profiles.ProfileFormat;
import io.capabilityexporter.profiles.WorkloadProfile;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * {@code profile --cluster}'s answer: the merged profiles as {@code profile} prints one node's,
 * after a header that says which exporters answered, which did not and why (then: partial), and the
 * nodes each workload was seen on.
 */
public final class ClusterProfileFormat {
  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private ClusterProfileFormat() {}

  public static String text(ClusterProfiles cluster) {
    return header(cluster) + ProfileFormat.text(cluster.merged());
  }

  /** The patches, the header as YAML comments: {@code kubectl patch} reads past them. */
  public static String yaml(ClusterProfiles cluster) {
    return header(cluster) + ProfileFormat.yaml(cluster.merged());
  }

  static String header(ClusterProfiles cluster) {
    int asked = cluster.answered().size() + cluster.missing().size();
    StringBuilder out =
        new StringBuilder("# profiles merged from ")
            .append(cluster.answered().size())
            .append(" of ")
            .append(asked)
            .append(" exporters: ")
            .append(String.join(", ", cluster.answered().stream().map(ExporterPod::node).toList()))
            .append('\n');
    cluster
        .missing()
        .forEach(
            (pod, why) ->
                out.append("# PARTIAL: no answer from ")
                    .append(pod.title())
                    .append(": ")
                    .append(why.replace('\n', ' '))
                    .append("; what that node saw is missing from every profile below\n"));
    for (WorkloadProfile workload : cluster.merged().workloads()) {
      List<String> nodes = cluster.seenOn().getOrDefault(workload.title(), List.of());
      out.append("# ")
          .append(workload.title())
          .append(": seen on ")
          .append(String.join(", ", nodes))
          .append(cluster.partial() ? " (partial)" : "")
          .append('\n');
    }
    return out.append('\n').toString();
  }

  /**
   * {@code {"partial": false, "exporters": [{"node": "node-a", "pod": "...", "answered": true}],
   * "workloads": [{"workload": "shop Deployment/cart", "seenOn": ["node-a"]}], "profiles": {...}}}:
   * {@code profiles} is {@code /api/v1/profiles}'s format, merged.
   */
  public static String json(ClusterProfiles cluster) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("partial", cluster.partial());
    ArrayNode exporters = root.putArray("exporters");
    for (ExporterPod pod : cluster.answered()) {
      exporters.addObject().put("node", pod.node()).put("pod", pod.name()).put("answered", true);
    }
    cluster
        .missing()
        .forEach(
            (pod, why) ->
                exporters
                    .addObject()
                    .put("node", pod.node())
                    .put("pod", pod.name())
                    .put("answered", false)
                    .put("error", why));
    ArrayNode workloads = root.putArray("workloads");
    for (WorkloadProfile workload : cluster.merged().workloads()) {
      ArrayNode nodes = workloads.addObject().put("workload", workload.title()).putArray("seenOn");
      cluster.seenOn().getOrDefault(workload.title(), List.of()).forEach(nodes::add);
    }
    try {
      root.set("profiles", MAPPER.readTree(ProfileFormat.json(cluster.merged())));
      return MAPPER.writeValueAsString(root) + "\n";
    } catch (java.io.IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
