package io.capabilityexporter.domain;

import java.util.Objects;
import java.util.Set;

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
