package io.capabilityexporter.probe;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * When every hook failed with EPERM although the capabilities were there (Preflight passed), the
 * usual cause is a seccomp filter: a container runtime's default profile that refuses bpf() unless
 * CAP_SYS_ADMIN is granted (Podman's; Docker's before 23.0 and containerd's before 1.7). libbpf's
 * own words blame RLIMIT_MEMLOCK and the kernel's configuration, so this says what to look at.
 */
final class SeccompHint {
  private static final String EPERM = "errno 1: ";

  private SeccompHint() {}

  static Optional<String> of(Path procSelfStatus, List<String> failures) {
    if (failures.isEmpty() || !failures.stream().allMatch(f -> f.contains(EPERM))) {
      return Optional.empty();
    }
    if (!filtered(procSelfStatus)) {
      return Optional.empty();
    }
    return Optional.of(
        "This process runs under a seccomp filter (Seccomp: 2 in /proc/self/status), which"
            + " refuses bpf() here although CAP_BPF or CAP_SYS_ADMIN is held: a container"
            + " runtime's default profile allows bpf() only with CAP_SYS_ADMIN (Podman's;"
            + " Docker's before 23.0, containerd's before 1.7). Give the container"
            + " --security-opt seccomp=unconfined, a profile that allows bpf() to CAP_BPF, or"
            + " (Docker 20.10) --cap-add SYS_ADMIN (docs/kubernetes.md, \"As a container on a plain host\")");
  }

  /** Whether /proc/self/status says a seccomp filter (mode 2) is on. */
  private static boolean filtered(Path procSelfStatus) {
    try {
      return Files.readAllLines(procSelfStatus).stream()
          .anyMatch(line -> line.startsWith("Seccomp:") && line.substring(8).strip().equals("2"));
    } catch (IOException e) {
      return false;
    }
  }
}
