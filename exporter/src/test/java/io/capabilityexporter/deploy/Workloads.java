package io.capabilityexporter.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.capabilityexporter.testing.Command;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Workload containers that make known capability checks, then end. */
final class Workloads {
  /**
   * Run in the container, with tools of the Debian base image: {@code nice -n -20} as an ordinary
   * user (one audited SYS_NICE check, denied: no capability at all), and {@code ionice -c 1} (the
   * realtime I/O class) as root without SYS_ADMIN or SYS_NICE: ioprio_set asks for SYS_ADMIN, then
   * SYS_NICE, both audited and denied. ioprio_set, as every runtime's default seccomp profile lets
   * it through, where to a container without SYS_ADMIN Docker's refuses unshare and swapoff, and
   * Docker's and Podman's sethostname, before the kernel checks anything.
   */
  static final String SCRIPT =
      "setpriv --reuid=65534 --regid=65534 --clear-groups nice -n -20 true"
          + " && ! ionice -c 1 true";

  /** The checks {@link #SCRIPT} is denied: SYS_NICE twice, SYS_ADMIN once. */
  static final Map<String, Double> DENIED = Map.of("SYS_NICE", 2.0, "SYS_ADMIN", 1.0);

  private Workloads() {}

  /**
   * Runs {@link #SCRIPT} in a container {@code id} of {@code image} in cgroup {@code cgroup}, to
   * its end. No network options: ctr gives the container a network namespace of its own with only a
   * loopback device, as {@code --network none} does.
   */
  static void run(Containerd containerd, String image, String id, String cgroup) throws Exception {
    List<String> args = new ArrayList<>(List.of("run", "--rm"));
    args.addAll(containerd.runOptions());
    args.addAll(List.of("--cgroup", cgroup, image, id, "sh", "-c", SCRIPT));
    Command.Result result =
        containerd.ctr(java.time.Duration.ofMinutes(2), args.toArray(String[]::new));
    assertThat(result.status()).as("workload %s: %s", id, result.output()).isZero();
  }
}
