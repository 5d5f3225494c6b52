package io.capabilityexporter.deploy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Quantity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Cgroup paths as a kubelet and containerd make them, under a top-level cgroup of the test's own
 * (as a kubelet's --cgroup-root would put them), so that nothing the test makes can meet a real
 * kubelet's cgroups and {@link #remove} knows what is the test's.
 */
final class KubeletCgroups {
  private final String top;

  KubeletCgroups(String top) {
    this.top = top;
  }

  /**
   * A container's pod's QoS class as the kubelet names its cgroup: guaranteed (limits equal to
   * requests), besteffort (neither), else burstable. The pod here has the one container.
   */
  static String qos(Container container) {
    Map<String, Quantity> requests = container.getResources().getRequests();
    Map<String, Quantity> limits = container.getResources().getLimits();
    if (requests.isEmpty() && limits.isEmpty()) {
      return "besteffort";
    }
    boolean guaranteed =
        limits.keySet().containsAll(List.of("cpu", "memory"))
            && limits.entrySet().stream()
                .allMatch(
                    limit -> {
                      Quantity request = requests.getOrDefault(limit.getKey(), limit.getValue());
                      return Quantity.getAmountInBytes(request)
                              .compareTo(Quantity.getAmountInBytes(limit.getValue()))
                          == 0;
                    });
    return guaranteed ? "guaranteed" : "burstable";
  }

  /** The cgroupfs driver: {@code kubepods/<qos>/pod<uid>/<id>} (Guaranteed pods have no qos). */
  String cgroupfs(String qos, String podUid, String containerId) {
    String qosDir = qos.equals("guaranteed") ? "" : "/" + qos;
    return "/" + top + "/kubepods" + qosDir + "/pod" + podUid + "/" + containerId;
  }

  /**
   * The systemd driver: {@code
   * kubepods.slice/kubepods-<qos>.slice/kubepods-<qos>-pod<uid>.slice/cri-containerd-<id>.scope},
   * the uid's "-" escaped to "_" as systemd unit names need. Only the names: runc's cgroupfs driver
   * makes these directories, as no systemd runs here to make the units.
   */
  String systemd(String qos, String podUid, String containerId) {
    String pod = "pod" + podUid.replace('-', '_') + ".slice";
    String slices =
        qos.equals("guaranteed")
            ? "/kubepods.slice/kubepods-" + pod
            : "/kubepods.slice/kubepods-" + qos + ".slice/kubepods-" + qos + "-" + pod;
    return "/" + top + slices + "/cri-containerd-" + containerId + ".scope";
  }

  /**
   * The cgroup (v2) the tests' container engines run in, their daemons, shims and runtimes with
   * them, made if missing: so that what they do is counted apart from the rest of the host.
   */
  Path engine() throws IOException {
    Path root =
        io.capabilityexporter.attribution.Cgroup2Mount.find(Path.of("/proc/mounts"))
            .orElseThrow(() -> new IllegalStateException("no cgroup2 mount in /proc/mounts"));
    return Files.createDirectories(root.resolve(top).resolve("engine"));
  }

  /** The {@code container} label of {@link #engine()}'s checks: its path. */
  String engineLabel() {
    return "/" + top + "/engine";
  }

  /**
   * Removes the test's cgroups, deepest first, in every cgroup hierarchy mounted: runc makes each
   * container's in the v1 controllers' hierarchies and in the v2 tree, and removes only the
   * container's own when it is deleted. A cgroup whose last processes are still exiting refuses
   * rmdir (EBUSY) for a moment: each is tried again for up to 30 s.
   */
  void remove() throws IOException, InterruptedException {
    for (Path root : hierarchies()) {
      Path mine = root.resolve(top);
      if (!Files.isDirectory(mine)) {
        continue;
      }
      List<Path> directories;
      try (Stream<Path> walk = Files.walk(mine)) {
        directories = walk.filter(Files::isDirectory).sorted(Comparator.reverseOrder()).toList();
      }
      for (Path directory : directories) {
        removeOnceEmpty(directory);
      }
    }
  }

  private static void removeOnceEmpty(Path directory) throws IOException, InterruptedException {
    java.time.Instant deadline = java.time.Instant.now().plusSeconds(30);
    while (true) {
      try {
        Files.deleteIfExists(directory);
        return;
      } catch (IOException busy) {
        if (java.time.Instant.now().isAfter(deadline)) {
          Path procs = directory.resolve("cgroup.procs");
          String left = Files.exists(procs) ? Files.readString(procs).strip() : "";
          throw new IOException(
              directory + " still busy after 30 s (processes: [" + left + "])", busy);
        }
        Thread.sleep(100);
      }
    }
  }

  /** Mount points of cgroup (v1) and cgroup2 file systems. */
  private static List<Path> hierarchies() throws IOException {
    try (Stream<String> lines = Files.lines(Path.of("/proc/mounts"))) {
      return lines
          .map(line -> line.split(" "))
          .filter(fields -> fields[2].equals("cgroup") || fields[2].equals("cgroup2"))
          .map(fields -> Path.of(fields[1]))
          .toList();
    }
  }
}
