package io.capabilityexporter.kubernetes;

import io.capabilityexporter.attribution.Attributor;
import io.capabilityexporter.attribution.CgroupOwner;
import io.capabilityexporter.attribution.CgroupPaths;
import io.capabilityexporter.attribution.ContainerNaming;
import io.capabilityexporter.domain.PodFacts;
import io.capabilityexporter.domain.Workload;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Attributes cgroups on a Kubernetes node: a container under a kubelet pod cgroup (systemd or
 * cgroupfs driver; containerd, CRI-O or cri-dockerd naming) is labelled with its pod's namespace
 * and name and the container's name from the pod's status; anything else (kubelet.service, the
 * container runtime, the host) as on a plain host.
 *
 * <p>A pod's container the informer does not know yet, or whose new id (after a restart) the status
 * does not show yet, is not attributed: its counts wait in the kernel, keyed by cgroup, and take
 * their pod's labels once it is known, so nothing is counted under the wrong name. While the API
 * server is unreachable they wait however long it takes ({@link #worthWaitingFor}).
 */
public final class PodAttributor implements Attributor {
  /** cAdvisor's name for a pod's sandbox ("pause") container, which no status lists. */
  static final String SANDBOX = "POD";

  private final CgroupPaths paths;
  private final NodePods pods;
  private final Attributor host;
  private final Map<Long, Resolved> resolved = new ConcurrentHashMap<>();

  /** The container id is empty for the pod's sandbox. */
  private record Resolved(Workload workload, PodFacts pod, String containerId) {}

  /**
   * @param host attributes what is not a pod's container (and the host itself)
   */
  public PodAttributor(CgroupPaths paths, NodePods pods, Attributor host) {
    this.paths = paths;
    this.pods = pods;
    this.host = host;
  }

  @Override
  public Optional<Workload> attribute(long cgroupId) {
    Resolved known = resolved.get(cgroupId);
    if (known != null) {
      return Optional.of(known.workload());
    }
    Optional<CgroupOwner.Container> container = podContainer(cgroupId);
    if (container.isEmpty()) {
      return host.attribute(cgroupId);
    }
    return resolveAndRemember(cgroupId, container.get()).map(Resolved::workload);
  }

  private Optional<Resolved> resolveAndRemember(long cgroupId, CgroupOwner.Container container) {
    Optional<Resolved> found = resolve(container);
    // The sandbox is not remembered: a container the status had not caught up with looks the same
    // for a moment, and must not keep the name POD.
    found
        .filter(r -> !r.workload().container().equals(SANDBOX))
        .ifPresent(r -> remember(cgroupId, r));
    return found;
  }

  @Override
  public Optional<PodFacts> pod(long cgroupId) {
    return resolved(cgroupId).map(Resolved::pod);
  }

  @Override
  public String containerId(long cgroupId) {
    return resolved(cgroupId).map(Resolved::containerId).orElse("");
  }

  /**
   * The pod and container id behind a name: remembered, or resolved again. A gone cgroup's
   * resolution is not remembered (its counts have been let go), but a check it made that is read
   * late (the events' ring after the cgroups' one) still gets its pod: without it a profile drops
   * the check as an undescribed pod's, which lost the first workload of a fast rollout its deny.
   */
  private Optional<Resolved> resolved(long cgroupId) {
    Resolved known = resolved.get(cgroupId);
    if (known != null) {
      return Optional.of(known);
    }
    return podContainer(cgroupId)
        .flatMap(container -> resolveAndRemember(cgroupId, container))
        .filter(r -> !r.workload().container().equals(SANDBOX));
  }

  @Override
  public Optional<CgroupOwner.Runtime> engine(long cgroupId) {
    return podContainer(cgroupId).isPresent() ? Optional.empty() : host.engine(cgroupId);
  }

  @Override
  public String whyUnattributed(long cgroupId) {
    return podContainer(cgroupId).isPresent() ? UNDESCRIBED_POD : host.whyUnattributed(cgroupId);
  }

  @Override
  public void stillCounted(Set<Long> cgroupIds) {
    host.stillCounted(cgroupIds); // the host's paths are these cgroups' too
  }

  @Override
  public boolean isGone(long cgroupId) {
    return paths.isGone(cgroupId);
  }

  @Override
  public void forget(long cgroupId) {
    resolved.remove(cgroupId);
    host.forget(cgroupId);
  }

  @Override
  public boolean worthWaitingFor(long cgroupId) {
    return !(pods.synced() && pods.watching()) && podContainer(cgroupId).isPresent();
  }

  @Override
  public Workload provisional(long cgroupId) {
    return podContainer(cgroupId)
        .map(c -> Workload.container(c.shortId()))
        .orElseGet(() -> host.provisional(cgroupId));
  }

  private Optional<CgroupOwner.Container> podContainer(long cgroupId) {
    return paths
        .path(cgroupId)
        .map(ContainerNaming::owner)
        .filter(owner -> owner instanceof CgroupOwner.Container c && !c.podUid().isEmpty())
        .map(CgroupOwner.Container.class::cast);
  }

  private Optional<Resolved> resolve(CgroupOwner.Container container) {
    Optional<Pod> found = pods.byUid(container.podUid());
    if (found.isEmpty()) {
      return Optional.empty();
    }
    Pod pod = found.get();
    List<ContainerStatus> statuses = statuses(pod.getStatus());
    String name = null;
    for (ContainerStatus status : statuses) {
      if (container.id().equals(idOf(status.getContainerID()))) {
        name = status.getName();
      }
    }
    if (name == null) {
      // Not a container the status lists. The sandbox, only when the status is complete: every
      // container of the spec running under its current id. Until then it may be a container
      // just (re)started, or an ephemeral one just added, which the status has not caught up with.
      if (!everyContainerRunning(pod, statuses)) {
        return Optional.empty();
      }
      name = SANDBOX;
    }
    Workload workload =
        new Workload(pod.getMetadata().getNamespace(), pod.getMetadata().getName(), name);
    return Optional.of(
        new Resolved(workload, PodFactsOf.of(pod), name.equals(SANDBOX) ? "" : container.id()));
  }

  private static boolean everyContainerRunning(Pod pod, List<ContainerStatus> statuses) {
    if (pod.getSpec() == null || pod.getSpec().getContainers() == null) {
      return false;
    }
    List<String> names = new ArrayList<>();
    pod.getSpec().getContainers().forEach(c -> names.add(c.getName()));
    if (pod.getSpec().getEphemeralContainers() != null) {
      pod.getSpec().getEphemeralContainers().forEach(c -> names.add(c.getName()));
    }
    for (String name : names) {
      boolean running =
          statuses.stream()
              .anyMatch(
                  s ->
                      name.equals(s.getName())
                          && idOf(s.getContainerID()) != null
                          && s.getState() != null
                          && s.getState().getRunning() != null);
      if (!running) {
        return false;
      }
    }
    return true;
  }

  private void remember(long cgroupId, Resolved r) {
    if (paths.isGone(cgroupId)) {
      return; // a late event of a gone cgroup: its counts have been let go, so must its name
    }
    if (resolved.size() >= 65_536) {
      resolved.clear(); // a bound, not a policy: entries are cheap to resolve again
    }
    resolved.put(cgroupId, r);
  }

  private static List<ContainerStatus> statuses(PodStatus status) {
    List<ContainerStatus> all = new ArrayList<>();
    if (status != null) {
      addAll(all, status.getInitContainerStatuses());
      addAll(all, status.getContainerStatuses());
      addAll(all, status.getEphemeralContainerStatuses());
    }
    return all;
  }

  private static void addAll(List<ContainerStatus> all, List<ContainerStatus> some) {
    if (some != null) {
      all.addAll(some);
    }
  }

  /** {@code containerd://<id>}, {@code cri-o://<id>}, {@code docker://<id>}: the id; else null. */
  static String idOf(String containerId) {
    if (containerId == null) {
      return null;
    }
    int scheme = containerId.indexOf("://");
    String id = scheme < 0 ? containerId : containerId.substring(scheme + 3);
    return id.isEmpty() ? null : id;
  }
}
