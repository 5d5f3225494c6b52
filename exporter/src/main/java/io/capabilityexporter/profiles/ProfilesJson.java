package io.capabilityexporter.profiles;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capabilityexporter.expected.PodFacts.ContainerGrants;
import java.util.Collection;
import java.util.List;

/**
 * Profiles as JSON: the profiles file (the recorded facts) and, with recommendations, {@code
 * /api/v1/profiles} and {@code profile -o json}. One shape for both, so a tool reading one reads
 * the other; {@link ProfilesReader} reads it back.
 */
final class ProfilesJson {
  static final ObjectMapper MAPPER = new ObjectMapper();

  private ProfilesJson() {}

  static String write(Profiles profiles, boolean recommendations, boolean pretty) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("version", Profiles.FORMAT_VERSION);
    ArrayNode workloads = root.putArray("workloads");
    for (WorkloadProfile workload : profiles.workloads()) {
      ObjectNode node = workloads.addObject();
      node.put("namespace", workload.namespace());
      node.put("kind", workload.kind());
      node.put("name", workload.name());
      node.put("firstSeen", workload.firstSeen().toString());
      node.put("lastSeen", workload.lastSeen().toString());
      ArrayNode containers = node.putArray("containers");
      for (ContainerProfile container : workload.containers()) {
        container(containers.addObject(), container, recommendations);
      }
    }
    try {
      return pretty
          ? MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root)
          : MAPPER.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always serializes", e);
    }
  }

  private static void container(ObjectNode node, ContainerProfile container, boolean recommend) {
    node.put("name", container.name());
    node.put("image", container.image());
    ContainerGrants granted = container.granted();
    if (granted == null) {
      node.putNull("granted");
    } else {
      ObjectNode grants = node.putObject("granted");
      strings(grants.putArray("add"), granted.added().stream().sorted().toList());
      grants.put("privileged", granted.privileged());
    }
    node.put("firstSeen", container.firstSeen().toString());
    node.put("lastSeen", container.lastSeen().toString());
    ArrayNode capabilities = node.putArray("capabilities");
    for (CapabilityUse use : container.capabilities()) {
      ObjectNode capability = capabilities.addObject();
      capability.put("capability", use.capability());
      capability.put("allowed", use.allowed());
      capability.put("denied", use.denied());
      if (use.audited() == null) {
        capability.putNull("audited");
      } else {
        capability.put("audited", true);
      }
      capability.put("firstSeen", use.firstSeen().toString());
      capability.put("lastSeen", use.lastSeen().toString());
      strings(capability.putArray("syscalls"), use.syscalls());
      strings(capability.putArray("comms"), use.comms());
    }
    if (recommend) {
      recommendation(node.putObject("recommendation"), Recommendation.of(container));
    }
  }

  private static void recommendation(ObjectNode node, Recommendation recommendation) {
    ObjectNode securityContext = node.putObject("securityContext");
    if (recommendation.privileged()) {
      securityContext.put("privileged", false);
    }
    ObjectNode capabilities = securityContext.putObject("capabilities");
    strings(capabilities.putArray("drop"), List.of("ALL"));
    strings(capabilities.putArray("add"), recommendation.add());
    strings(node.putArray("denied"), recommendation.denied());
    strings(node.putArray("unusedGrants"), recommendation.unusedGrants());
    node.put("privileged", recommendation.privileged());
    node.put("grantsKnown", recommendation.grantsKnown());
    ObjectNode podSecurity = node.putObject("podSecurity");
    verdict(podSecurity.putObject("baseline"), recommendation.baseline());
    verdict(podSecurity.putObject("restricted"), recommendation.restricted());
  }

  private static void verdict(ObjectNode node, PodSecurity.Verdict verdict) {
    node.put("allowed", verdict.allowed());
    strings(node.putArray("offending"), verdict.offending());
  }

  private static void strings(ArrayNode array, Collection<String> values) {
    values.forEach(array::add);
  }
}
