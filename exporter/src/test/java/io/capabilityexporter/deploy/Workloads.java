package io.capabilityexporter.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.capabilityexporter.testing.Command;
import java.util.ArrayList;
import java.util.List;

/** Workload containers that make known capability checks, then end. */
final class Workloads {
  /**
   * Run in the container: {@code nice -n -20} as an ordinary user (one audited SYS_NICE check,
   * denied: no capability at all) and {@code unshare --mount} as root without SYS_ADMIN (one
   * audited SYS_ADMIN check, denied), both with tools of the Debian base image.
   */
  static final String SCRIPT =
      "setpriv --reuid=65534 --regid=65534 --clear-groups nice -n -20 true"
          + " && ! unshare --mount true";

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
