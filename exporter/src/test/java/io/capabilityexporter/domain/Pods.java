package io.capabilityexporter.domain;

import java.util.HashMap;
import java.util.Map;

/** Pods as the API server would describe them, built by hand. */
public final class Pods {
  public static final String UID = "6f1c2b1e-3a4d-4e5f-8a9b-0c1d2e3f4a5b";

  private Pods() {}

  /** A bare pod in the host's user namespace: labels, annotations, each container's grants. */
  public static PodFacts granting(
      Map<String, String> labels,
      Map<String, String> annotations,
      Map<String, ContainerGrants> grants) {
    return granting(labels, annotations, grants, false);
  }

  /** A bare pod: labels, annotations, each container's grants, and its user namespace. */
  public static PodFacts granting(
      Map<String, String> labels,
      Map<String, String> annotations,
      Map<String, ContainerGrants> grants,
      boolean ownUserNamespace) {
    Map<String, PodFacts.Container> containers = new HashMap<>();
    grants.forEach((name, granted) -> containers.put(name, new PodFacts.Container("", granted)));
    return new PodFacts(
        UID, new Owner("Pod", "pod"), labels, annotations, containers, ownUserNamespace);
  }

  /** A pod of {@code owner} whose one container runs {@code image}, granted nothing. */
  public static PodFacts ownedBy(Owner owner, String container, String image) {
    return new PodFacts(
        UID,
        owner,
        Map.of(),
        Map.of(),
        Map.of(container, new PodFacts.Container(image, ContainerGrants.NONE)),
        false);
  }
}
