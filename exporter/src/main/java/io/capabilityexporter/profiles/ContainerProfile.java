package io.capabilityexporter.profiles;

import io.capabilityexporter.domain.ContainerGrants;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The capabilities one container of a workload used.
 *
 * @param name the container's name (outside Kubernetes: the container or systemd unit)
 * @param image the image as the pod spec names it; empty when unknown
 * @param granted what the pod spec's {@code securityContext} grants; null when the spec was never
 *     seen (outside Kubernetes, or the API server had not described the pod)
 * @param capabilities by capability name
 * @param lifecycle how much of its life was seen: starts, stops, execs
 */
public record ContainerProfile(
    String name,
    String image,
    ContainerGrants granted,
    Instant firstSeen,
    Instant lastSeen,
    List<CapabilityUse> capabilities,
    Lifecycle lifecycle) {

  public ContainerProfile {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(firstSeen, "firstSeen");
    Objects.requireNonNull(lastSeen, "lastSeen");
    capabilities = List.copyOf(capabilities);
    Objects.requireNonNull(lifecycle, "lifecycle");
  }

  /** Whether a deny ended a process: its recording stopped there, and may lack what follows. */
  public boolean cutShort() {
    return capabilities.stream().anyMatch(use -> use.beforeExit() > 0);
  }
}
