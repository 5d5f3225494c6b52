package io.capabilityexporter.node;

import io.capabilityexporter.attribution.Attributor;
import io.capabilityexporter.attribution.CgroupPaths;
import io.capabilityexporter.attribution.DockerNames;
import io.capabilityexporter.attribution.HostAttributor;
import io.capabilityexporter.attribution.PodmanNames;
import io.capabilityexporter.domain.PodLookup;
import io.capabilityexporter.files.NodeName;
import io.capabilityexporter.kubernetes.KubernetesConnection;
import io.capabilityexporter.kubernetes.NodePods;
import io.capabilityexporter.kubernetes.PodAttributor;
import io.capabilityexporter.probe.CgroupChange;
import io.capabilityexporter.probe.Probe;
import io.capabilityexporter.probe.ProbeException;
import io.capabilityexporter.probe.RingReader;
import io.capabilityexporter.probe.Stat;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongConsumer;

/**
 * Who made a check, on this node: containers and systemd units from the cgroup tree, and in
 * Kubernetes ({@code KUBECONFIG}, or in a pod) the pods of node {@code NODE_NAME} from the API
 * server. Shared by {@code run} and {@code trace}.
 */
public final class NodeAttribution implements AutoCloseable {
  private final CgroupPaths paths;
  private final Attributor attributor;
  private final KubernetesConnection kubernetes;
  private final NodePods pods;
  private final String nodeName;

  private NodeAttribution(
      CgroupPaths paths,
      Attributor attributor,
      KubernetesConnection kubernetes,
      NodePods pods,
      String nodeName) {
    this.paths = paths;
    this.attributor = attributor;
    this.kubernetes = kubernetes;
    this.pods = pods;
    this.nodeName = nodeName;
  }

  /**
   * @throws IllegalArgumentException the Kubernetes environment is incomplete (named, with the fix)
   * @throws IllegalStateException cgroup v2 is not mounted
   */
  public static NodeAttribution forEnvironment(Map<String, String> env, MeterRegistry registry) {
    KubernetesConnection kubernetes = KubernetesConnection.fromEnvironment(env).orElse(null);
    try {
      CgroupPaths paths = new CgroupPaths(HostAttributor.cgroup2Root());
      Gauge.builder("capability.exporter.cgroups", paths, CgroupPaths::size)
          .description("Cgroups of this host the exporter follows, their paths told by the kernel.")
          .register(registry);
      Attributor host = new HostAttributor(paths, new DockerNames(), new PodmanNames());
      if (kubernetes == null) {
        return new NodeAttribution(paths, host, null, null, NodeName.orHostName(env));
      }
      NodePods pods = NodePods.watch(kubernetes, registry);
      return new NodeAttribution(
          paths, new PodAttributor(paths, pods, host), kubernetes, pods, kubernetes.node());
    } catch (RuntimeException e) {
      if (kubernetes != null) {
        kubernetes.client().close();
      }
      throw e;
    }
  }

  /**
   * Learns cgroup paths from the probe from now on: the cgroups that exist (one walk of the tree),
   * then the ones the kernel makes and releases. Call once the probe is attached.
   */
  public void follow(Probe probe) throws ProbeException {
    RingReader<CgroupChange> ring =
        probe.followCgroups(
            change -> {
              switch (change.kind()) {
                case MADE -> paths.made(change.cgroupId(), change.path());
                case RELEASED -> {
                  paths.released(change.cgroupId(), change.path());
                  released.forEach(listener -> listener.accept(change.cgroupId()));
                }
                case ENTERED -> entered.forEach(listener -> listener.accept(change.cgroupId()));
              }
            });
    paths.follow(ring::catchUp, () -> probe.stat(Stat.CGROUP_RING_FULL));
  }

  public Attributor attributor() {
    return attributor;
  }

  private final List<LongConsumer> released = new CopyOnWriteArrayList<>();
  private final List<LongConsumer> entered = new CopyOnWriteArrayList<>();

  /** Told of each cgroup the kernel releases, on the cgroup ring's thread. */
  public void onReleased(LongConsumer listener) {
    released.add(listener);
  }

  /** Told of each cgroup a container runtime enters for an exec, on the cgroup ring's thread. */
  public void onEntered(LongConsumer listener) {
    entered.add(listener);
  }

  /** Whether the cgroup was there when the exporter started (its first walk of the tree). */
  public boolean existedAtStart(long cgroupId) {
    return paths.existedAtStart(cgroupId);
  }

  /** The pods the expected rules may ask about; none outside Kubernetes. */
  public PodLookup pods() {
    return pods == null ? PodLookup.NONE : pods;
  }

  /** Outside Kubernetes always; in Kubernetes once the first list of the node's pods arrived. */
  public boolean synced() {
    return pods == null || pods.synced();
  }

  /** The node check events name: the one whose pods are watched, else as {@link NodeName} says. */
  public String nodeName() {
    return nodeName;
  }

  /** The node whose pods are watched; empty outside Kubernetes. */
  public Optional<String> node() {
    return Optional.ofNullable(kubernetes).map(KubernetesConnection::node);
  }

  @Override
  public void close() {
    paths.close();
    if (pods != null) {
      pods.close();
    }
    if (kubernetes != null) {
      kubernetes.client().close();
    }
  }
}
