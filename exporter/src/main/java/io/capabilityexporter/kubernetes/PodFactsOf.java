package io.capabilityexporter.kubernetes;

import io.capabilityexporter.domain.ContainerGrants;
import io.capabilityexporter.domain.PodFacts;
import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EphemeralContainer;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SecurityContext;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** A pod as the exporter sees it: its owner, labels, annotations, and its containers' specs. */
final class PodFactsOf {
  private PodFactsOf() {}

  static PodFacts of(Pod pod) {
    Map<String, PodFacts.Container> containers = new HashMap<>();
    PodSpec spec = pod.getSpec();
    if (spec != null) {
      // The API server keeps container names unique across the three lists.
      for (Container c : orEmpty(spec.getInitContainers())) {
        containers.put(c.getName(), container(c.getImage(), c.getSecurityContext()));
      }
      for (Container c : orEmpty(spec.getContainers())) {
        containers.put(c.getName(), container(c.getImage(), c.getSecurityContext()));
      }
      for (EphemeralContainer c : orEmpty(spec.getEphemeralContainers())) {
        containers.put(c.getName(), container(c.getImage(), c.getSecurityContext()));
      }
    }
    containers.remove(null);
    String uid = pod.getMetadata().getUid();
    return new PodFacts(
        uid == null ? "" : uid,
        Owners.of(pod),
        orEmpty(pod.getMetadata().getLabels()),
        orEmpty(pod.getMetadata().getAnnotations()),
        containers,
        spec != null && Boolean.FALSE.equals(spec.getHostUsers()));
  }

  private static PodFacts.Container container(String image, SecurityContext context) {
    return new PodFacts.Container(image == null ? "" : image, grants(context));
  }

  /**
   * {@code capabilities.add} as Kubernetes writes the names: {@code CAP_NET_ADMIN} is NET_ADMIN.
   */
  static ContainerGrants grants(SecurityContext context) {
    if (context == null) {
      return ContainerGrants.NONE;
    }
    Capabilities capabilities = context.getCapabilities();
    Set<String> added =
        capabilities == null
            ? Set.of()
            : orEmpty(capabilities.getAdd()).stream()
                .filter(name -> name != null)
                .map(name -> name.toUpperCase(Locale.ROOT))
                .map(name -> name.startsWith("CAP_") ? name.substring(4) : name)
                .collect(Collectors.toSet());
    return new ContainerGrants(added, Boolean.TRUE.equals(context.getPrivileged()));
  }

  private static <T> List<T> orEmpty(List<T> list) {
    return list == null ? List.of() : list;
  }

  private static Map<String, String> orEmpty(Map<String, String> map) {
    if (map == null) {
      return Map.of();
    }
    Map<String, String> copy = new HashMap<>(map);
    copy.remove(null);
    copy.values().removeIf(v -> v == null);
    return copy;
  }
}
