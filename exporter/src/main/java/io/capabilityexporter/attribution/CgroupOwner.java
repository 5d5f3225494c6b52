package io.capabilityexporter.attribution;

import java.util.Objects;

/** What a cgroup path says about who owns it, as {@link ContainerNaming} reads it. */
public sealed interface CgroupOwner {

  /** The engine that made the container's cgroup; it tells where the container's name lives. */
  enum Runtime {
    DOCKER,
    CONTAINERD,
    CRI_O,
    PODMAN
  }

  /** The root cgroup: the host itself. */
  CgroupOwner HOST = new Host();

  /**
   * A container. {@code podUid} is the Kubernetes pod uid (with dashes) when the cgroup sits under
   * a kubelet pod cgroup, else empty; it is for a Kubernetes attributor to join against.
   */
  record Container(Runtime runtime, String id, String podUid) implements CgroupOwner {
    public Container {
      Objects.requireNonNull(runtime, "runtime");
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(podUid, "podUid");
    }

    /** The 12-character prefix the container tools show. */
    public String shortId() {
      return id.substring(0, Math.min(12, id.length()));
    }
  }

  /** A systemd unit, e.g. {@code sshd.service}, {@code session-3.scope} or {@code system.slice}. */
  record SystemdUnit(String name) implements CgroupOwner {
    public SystemdUnit {
      Objects.requireNonNull(name, "name");
    }
  }

  /** The root cgroup. Use {@link #HOST}. */
  record Host() implements CgroupOwner {}

  /** Any other cgroup, named by its path relative to the cgroup2 root, e.g. {@code /my-group}. */
  record Plain(String path) implements CgroupOwner {
    public Plain {
      Objects.requireNonNull(path, "path");
    }
  }
}
