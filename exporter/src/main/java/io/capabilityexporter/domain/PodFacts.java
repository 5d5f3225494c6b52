package io.capabilityexporter.domain;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the API server says of a pod, the one record every feature asks: its owner, uid and images
 * (log records, profiles), its labels and annotations (policy selectors and the expected
 * annotation), and what each container's spec grants (the expected rules, profiles).
 *
 * @param uid the pod's uid
 * @param owner the owning workload, or the pod itself when nothing owns it
 * @param containers by container name: init, regular and ephemeral containers alike
 * @param ownUserNamespace the pod runs in a user namespace of its own ({@code hostUsers: false})
 */
public record PodFacts(
    String uid,
    Owner owner,
    Map<String, String> labels,
    Map<String, String> annotations,
    Map<String, Container> containers,
    boolean ownUserNamespace) {

  public PodFacts {
    Objects.requireNonNull(uid, "uid");
    Objects.requireNonNull(owner, "owner");
    labels = Map.copyOf(Objects.requireNonNull(labels, "labels"));
    annotations = Map.copyOf(Objects.requireNonNull(annotations, "annotations"));
    containers = Map.copyOf(Objects.requireNonNull(containers, "containers"));
  }

  /**
   * One container of the pod's spec.
   *
   * @param image as the spec names it, empty when it names none
   */
  public record Container(String image, ContainerGrants granted) {
    public Container {
      Objects.requireNonNull(image, "image");
      Objects.requireNonNull(granted, "granted");
    }
  }

  /** What the spec grants the named container; empty for one it does not list (the sandbox). */
  public Optional<ContainerGrants> granted(String container) {
    return Optional.ofNullable(containers.get(container)).map(Container::granted);
  }

  /** The named container's image; empty for one the spec does not list (the sandbox). */
  public String image(String container) {
    Container c = containers.get(container);
    return c == null ? "" : c.image();
  }

  /**
   * The depth of the containers' own user namespace: 1 for a pod with {@code hostUsers: false},
   * else 0 (the host's). A check against a deeper one is against a namespace the workload made.
   */
  public int usernsLevel() {
    return ownUserNamespace ? 1 : 0;
  }
}
