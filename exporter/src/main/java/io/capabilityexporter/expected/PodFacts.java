package io.capabilityexporter.expected;

import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What the expected rules need to know of a pod: its labels (for policy selectors), its annotations
 * ({@value #EXPECTED_ANNOTATION}) and what each container's spec grants.
 *
 * @param containers by container name: init, regular and ephemeral containers alike
 * @param ownUserNamespace the pod runs in a user namespace of its own ({@code hostUsers: false})
 */
public record PodFacts(
    Map<String, String> labels,
    Map<String, String> annotations,
    Map<String, ContainerGrants> containers,
    boolean ownUserNamespace) {

  /** Lists the capabilities a pod's checks are expected to use: {@code "NET_ADMIN, SYS_TIME"}. */
  public static final String EXPECTED_ANNOTATION = "capability-exporter.io/expected";

  public PodFacts {
    labels = Map.copyOf(Objects.requireNonNull(labels, "labels"));
    annotations = Map.copyOf(Objects.requireNonNull(annotations, "annotations"));
    containers = Map.copyOf(Objects.requireNonNull(containers, "containers"));
  }

  /** A pod in the host's user namespace. */
  public PodFacts(
      Map<String, String> labels,
      Map<String, String> annotations,
      Map<String, ContainerGrants> containers) {
    this(labels, annotations, containers, false);
  }

  /**
   * What a container's {@code securityContext} grants.
   *
   * @param added {@code capabilities.add}, as Kubernetes writes them ({@code NET_ADMIN}; a {@code
   *     CAP_} prefix is removed, case is upper)
   * @param privileged {@code privileged: true}: every capability
   */
  public record ContainerGrants(Set<String> added, boolean privileged) {
    public ContainerGrants {
      added = Set.copyOf(Objects.requireNonNull(added, "added"));
    }

    public static final ContainerGrants NONE = new ContainerGrants(Set.of(), false);
  }
}
