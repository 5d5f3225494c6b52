package io.capabilityexporter.attribution;

import io.capabilityexporter.attribution.CgroupOwner.Runtime;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a cgroup path (relative to the cgroup2 root) the way container engines and systemd lay them
 * out, under both the systemd and the cgroupfs cgroup drivers:
 *
 * <ul>
 *   <li>systemd driver: {@code docker-<id>.scope} (Docker, and cri-dockerd under kubepods), {@code
 *       cri-containerd-<id>.scope}, {@code crio-<id>.scope}, {@code libpod-<id>.scope} (Podman),
 *       {@code nerdctl-<id>.scope};
 *   <li>cgroupfs driver: {@code /docker/<id>}, {@code /kubepods/<qos>/pod<uid>/<id>} (taken as
 *       containerd), {@code crio-<id>}, {@code /libpod_parent/libpod-<id>}, {@code /<ns>/<id>}
 *       (containerd/nerdctl namespaces).
 * </ul>
 *
 * <p>Ids must be 64 lowercase hex characters, so {@code crio-conmon-<id>.scope} and {@code
 * libpod-conmon-<id>.scope} (the monitor processes, not the container) never match. The deepest
 * container component wins, at any depth: a container nested in another (kind, Docker in Docker) is
 * the inner one, and cgroups a container makes below itself (systemd in a container, crun's {@code
 * /container}) still belong to it.
 *
 * <p>Otherwise the owner is a systemd unit: the deepest component naming a unit that can hold
 * processes ({@code .service}, {@code .scope}, {@code .socket}, {@code .mount}, {@code .swap}),
 * else the deepest {@code .slice}. Slices come last because a process in {@code
 * user.slice/user-1000.slice/session-3.scope} belongs to the session, not to the slice.
 */
public final class ContainerNaming {

  private static final Pattern PREFIXED_ID =
      Pattern.compile("(docker|cri-containerd|crio|libpod|nerdctl)-([0-9a-f]{64})(?:\\.scope)?");
  private static final Pattern BARE_ID = Pattern.compile("[0-9a-f]{64}");
  // kubepods-burstable-pod<uid>.slice, kubelet-kubepods-pod<uid>.slice (kind), with _ for -.
  private static final Pattern SYSTEMD_POD =
      Pattern.compile("(?:[a-z0-9]+-)*pod([0-9a-f_]+)\\.slice");
  private static final Pattern CGROUPFS_POD = Pattern.compile("pod([0-9a-f-]+)");
  // Pod uids are UUIDs; static (mirror) pods use a 32-hex hash instead.
  private static final Pattern POD_UID =
      Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{32}");
  private static final Pattern PROCESS_UNIT =
      Pattern.compile(".+\\.(service|scope|socket|mount|swap)");

  private ContainerNaming() {}

  /**
   * Who owns the cgroup at {@code path} ("/" is the root). A malformed path (not absolute, empty,
   * "." or ".." components) is never a container: it is returned as {@link CgroupOwner.Plain}.
   */
  public static CgroupOwner owner(String path) {
    if (path.equals("/")) {
      return CgroupOwner.HOST;
    }
    if (!path.startsWith("/")) {
      return new CgroupOwner.Plain(path);
    }
    String[] parts = path.substring(1).split("/", -1);
    for (String part : parts) {
      if (part.isEmpty() || part.equals(".") || part.equals("..") || part.indexOf('\0') >= 0) {
        return new CgroupOwner.Plain(path);
      }
    }
    for (int i = parts.length - 1; i >= 0; i--) {
      Optional<CgroupOwner.Container> container = container(parts, i);
      if (container.isPresent()) {
        return container.get();
      }
    }
    return unit(parts)
        .<CgroupOwner>map(CgroupOwner.SystemdUnit::new)
        .orElse(new CgroupOwner.Plain(path));
  }

  private static Optional<CgroupOwner.Container> container(String[] parts, int i) {
    Matcher prefixed = PREFIXED_ID.matcher(parts[i]);
    if (prefixed.matches()) {
      Runtime runtime =
          switch (prefixed.group(1)) {
            case "docker" -> Runtime.DOCKER;
            case "crio" -> Runtime.CRI_O;
            case "libpod" -> Runtime.PODMAN;
            default -> Runtime.CONTAINERD; // cri-containerd, nerdctl
          };
      return Optional.of(new CgroupOwner.Container(runtime, prefixed.group(2), podUid(parts, i)));
    }
    // A bare id is only a container inside a parent that groups containers (/docker, pod<uid>,
    // a containerd namespace); a bare id at the root is no layout any engine uses.
    if (i > 0 && BARE_ID.matcher(parts[i]).matches()) {
      Runtime runtime = parts[i - 1].equals("docker") ? Runtime.DOCKER : Runtime.CONTAINERD;
      return Optional.of(new CgroupOwner.Container(runtime, parts[i], podUid(parts, i)));
    }
    return Optional.empty();
  }

  /** The uid of the nearest enclosing kubelet pod cgroup, or "". */
  private static String podUid(String[] parts, int container) {
    for (int i = container - 1; i >= 0; i--) {
      Matcher systemd = SYSTEMD_POD.matcher(parts[i]);
      Matcher cgroupfs = CGROUPFS_POD.matcher(parts[i]);
      String uid =
          systemd.matches()
              ? systemd.group(1).replace('_', '-') // systemd escapes "-" in unit names as "_"
              : cgroupfs.matches() ? cgroupfs.group(1) : null;
      if (uid != null && POD_UID.matcher(uid).matches()) {
        return uid;
      }
    }
    return "";
  }

  private static Optional<String> unit(String[] parts) {
    String slice = null;
    for (int i = parts.length - 1; i >= 0; i--) {
      if (PROCESS_UNIT.matcher(parts[i]).matches()) {
        return Optional.of(parts[i]);
      }
      if (slice == null && parts[i].length() > ".slice".length() && parts[i].endsWith(".slice")) {
        slice = parts[i];
      }
    }
    return Optional.ofNullable(slice);
  }
}
