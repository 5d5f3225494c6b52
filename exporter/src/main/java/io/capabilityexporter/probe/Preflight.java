package io.capabilityexporter.probe;

import io.capabilityexporter.capabilities.CapabilitySets;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** What must hold before the probe can load: checked first so the error names the real cause. */
final class Preflight {
  private static final int CAP_SYS_ADMIN = 21;
  private static final int CAP_PERFMON = 38;
  private static final int CAP_BPF = 39;

  private Preflight() {}

  static Libbpf check(Path procSelfStatus, Path vmlinuxBtf) throws ProbeException {
    BigInteger effective = effectiveCapabilities(procSelfStatus);
    boolean bpf = effective.testBit(CAP_BPF) && effective.testBit(CAP_PERFMON);
    if (!bpf && !effective.testBit(CAP_SYS_ADMIN)) {
      throw new ProbeException(
          "not allowed to load BPF programs: run as root (sudo), or grant CAP_BPF, CAP_PERFMON"
              + " and CAP_SYSLOG (the audit flag needs /proc/kallsyms' addresses); before Linux"
              + " 5.8 CAP_SYS_ADMIN instead of the first two, and before 5.11 CAP_SYS_RESOURCE"
              + " too");
    }
    if (!Files.isReadable(vmlinuxBtf)) {
      throw new ProbeException(
          "this kernel has no BTF ("
              + vmlinuxBtf
              + " is missing): run a kernel built with CONFIG_DEBUG_INFO_BTF=y");
    }
    // JNA's own stub first: when it cannot load, every native library fails alike, libbpf too.
    Optional<String> jna = NativeLoading.jnaStubProblem();
    if (jna.isPresent()) {
      throw new ProbeException(jna.get());
    }
    try {
      return Libbpf.load();
    } catch (UnsatisfiedLinkError e) {
      throw new ProbeException(
          NativeLoading.system(
              "libbpf",
              "libbpf.so.1",
              "apt-get install libbpf1 (dnf install libbpf on Fedora/RHEL)",
              e));
    }
  }

  /** The CapEff mask of /proc/self/status; zero when unreadable, so the check fails loudly. */
  static BigInteger effectiveCapabilities(Path procSelfStatus) {
    try {
      return BigInteger.valueOf(CapabilitySets.read(procSelfStatus).effective());
    } catch (IOException e) {
      return BigInteger.ZERO;
    }
  }
}
