package io.capabilityexporter.attribution;

import io.capabilityexporter.domain.Workload;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

/**
 * Attributes cgroups on a host without Kubernetes: the root cgroup is the host, containers are
 * named by their Docker or Podman name, else by short id, systemd units by unit name, and any other
 * cgroup by its path.
 */
public final class HostAttributor implements Attributor {

  static final int CACHE_SIZE = 65_536;
  private static final Path PROC_MOUNTS = Path.of("/proc/mounts");

  private final CgroupPaths paths;
  private final DockerNames dockerNames;
  private final PodmanNames podmanNames;

  /**
   * Kept after a cgroup is gone on purpose: its counts are folded one last time after isGone, and
   * by then the tree no longer has its path.
   */
  private final Lru<Long, Workload> cache = new Lru<>(CACHE_SIZE);

  public HostAttributor(CgroupPaths paths, DockerNames dockerNames, PodmanNames podmanNames) {
    this.paths = paths;
    this.dockerNames = dockerNames;
    this.podmanNames = podmanNames;
  }

  /**
   * Where cgroup v2 is mounted, from /proc/mounts.
   *
   * @throws IllegalStateException if cgroup v2 is not mounted or /proc/mounts cannot be read
   */
  public static Path cgroup2Root() {
    Optional<Path> root;
    try {
      root = Cgroup2Mount.find(PROC_MOUNTS);
    } catch (UncheckedIOException e) {
      throw new IllegalStateException(
          "cannot read " + PROC_MOUNTS + " to find cgroup2: " + e.getCause().getMessage(), e);
    }
    return root.orElseThrow(
        () ->
            new IllegalStateException(
                "no cgroup2 filesystem in "
                    + PROC_MOUNTS
                    + ": capability checks are keyed by cgroup v2 id, so cgroup v2 must be"
                    + " mounted; on a cgroup v1 host run"
                    + " 'mount -t cgroup2 none /sys/fs/cgroup/unified'"));
  }

  @Override
  public Optional<Workload> attribute(long cgroupId) {
    synchronized (cache) {
      Workload cached = cache.get(cgroupId);
      if (cached != null) {
        return Optional.of(cached);
      }
    }
    Optional<String> path = paths.path(cgroupId);
    if (path.isEmpty()) {
      return Optional.empty(); // not cached: a later rescan may still find it
    }
    Workload workload = workload(ContainerNaming.owner(path.get()));
    synchronized (cache) {
      cache.put(cgroupId, workload);
    }
    return Optional.of(workload);
  }

  @Override
  public Optional<CgroupOwner.Runtime> engine(long cgroupId) {
    return paths
        .path(cgroupId)
        .map(ContainerNaming::owner)
        .filter(CgroupOwner.Container.class::isInstance)
        .map(owner -> ((CgroupOwner.Container) owner).runtime());
  }

  @Override
  public void stillCounted(Set<Long> cgroupIds) {
    paths.stillCounted(cgroupIds);
  }

  @Override
  public boolean isGone(long cgroupId) {
    return paths.isGone(cgroupId);
  }

  @Override
  public void forget(long cgroupId) {
    synchronized (cache) {
      cache.remove(cgroupId);
    }
  }

  private Workload workload(CgroupOwner owner) {
    if (owner instanceof CgroupOwner.Container c) {
      Optional<String> name =
          switch (c.runtime()) {
            case DOCKER -> dockerNames.name(c.id());
            case PODMAN -> podmanNames.name(c.id());
            default -> Optional.empty();
          };
      return Workload.container(name.orElse(c.shortId()));
    }
    if (owner instanceof CgroupOwner.SystemdUnit unit) {
      return Workload.container(unit.name());
    }
    if (owner instanceof CgroupOwner.Plain plain) {
      return Workload.container(plain.path());
    }
    return Workload.HOST;
  }
}
