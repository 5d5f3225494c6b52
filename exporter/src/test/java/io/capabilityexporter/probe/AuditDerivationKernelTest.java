package io.capabilityexporter.probe;

import static io.capabilityexporter.testing.KernelTests.CAP_SYS_CHROOT;
import static io.capabilityexporter.testing.KernelTests.trigger;
import static org.assertj.core.api.Assertions.assertThat;

import io.capabilityexporter.domain.Flag;
import io.capabilityexporter.testing.KernelTest;
import io.capabilityexporter.testing.TestCgroup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The audit flag on the real kernel: the fast way (a frame layout the program learns) against the
 * slow way (a scan of the stack), with one program on the hook and with two, and the slow way
 * alone, forced.
 */
@KernelTest
class AuditDerivationKernelTest {
  private static final int CAP_SETUID = 7;
  private static final int CAP_SYS_PACCT = 20;
  private static final int CAP_SYS_ADMIN = 21;
  private static final int CAP_SYS_PTRACE = 19;

  /**
   * Audited allows and denies, an INSETID check, noaudit SYS_ADMIN from every exec's mmaps, and a
   * noaudit SYS_PTRACE through ns_capable_noaudit (root reading the stat of another user's
   * process).
   */
  private static void mix(TestCgroup cgroup) throws Exception {
    trigger(cgroup, null, "acct", 50);
    trigger(cgroup, CAP_SYS_CHROOT, "chroot", 50);
    trigger(cgroup, null, "swapoff", 5);
    trigger(cgroup, null, "setuid", 5);
    Process nobody =
        new ProcessBuilder(
                "setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "sleep", "30")
            .start();
    try {
      // Until setpriv has switched users, the process is root's own and reading it checks nothing.
      Path status = Path.of("/proc/" + nobody.pid() + "/status");
      for (int i = 0; i < 200 && !Files.readString(status).contains("\nUid:\t65534"); i++) {
        Thread.sleep(10);
      }
      cgroup.run("cat /proc/" + nobody.pid() + "/stat > /dev/null");
    } finally {
      nobody.destroy();
      nobody.waitFor(10, TimeUnit.SECONDS);
    }
  }

  private static Map<String, Long> countsOf(Probe probe, TestCgroup cgroup) throws Exception {
    Map<String, Long> counts = new HashMap<>();
    for (Count count : probe.readCounts().counts()) {
      CountKey key = count.key();
      if (key.cgroupId() == cgroup.id()) {
        counts.merge(
            key.capability() + (key.denied() ? " deny " : " allow ") + key.audit(),
            count.total(),
            Long::sum);
      }
    }
    return counts;
  }

  /** What the mix must count, whichever way the flag was derived. */
  private static void assertTheMixIsCountedRight(Map<String, Long> counts) {
    assertThat(counts)
        .containsEntry(CAP_SYS_PACCT + " allow " + Flag.YES, 50L)
        .containsEntry(CAP_SYS_CHROOT + " deny " + Flag.YES, 50L)
        .containsEntry(CAP_SYS_ADMIN + " allow " + Flag.YES, 5L)
        .containsEntry(CAP_SETUID + " allow " + Flag.YES, 5L)
        .containsKey(CAP_SYS_PTRACE + " allow " + Flag.NO)
        .containsKey(CAP_SYS_ADMIN + " allow " + Flag.NO)
        .doesNotContainKey(CAP_SYS_PTRACE + " allow " + Flag.YES);
    assertThat(counts.keySet()).noneMatch(key -> key.endsWith(Flag.UNKNOWN.name()));
  }

  private static Probe attach(AuditMode mode) throws ProbeException {
    return Probe.attach(ProbeOptions.defaults().withAuditMode(mode));
  }

  @Test
  void the_learned_layout_agrees_with_the_stack_scan_with_one_program_and_with_two()
      throws Exception {
    try (Probe verifying = attach(AuditMode.VERIFY);
        TestCgroup alone = TestCgroup.create("audit-one")) {
      mix(alone);
      long fixedAlone = verifying.stat(Stat.AUDIT_FIXED);
      assertThat(verifying.stat(Stat.LAYOUTS_LEARNED)).isPositive();
      assertThat(fixedAlone).as("checks that took the fast way").isPositive();
      assertTheMixIsCountedRight(countsOf(verifying, alone));

      // A second program on the hook: the kernel now dispatches through __traceiter_cap_capable.
      try (Probe other = attach(AuditMode.FIXED_SLOTS);
          TestCgroup shared = TestCgroup.create("audit-two")) {
        mix(shared);
        assertTheMixIsCountedRight(countsOf(verifying, shared));
        assertTheMixIsCountedRight(countsOf(other, shared));
        assertThat(verifying.stat(Stat.LAYOUTS_LEARNED))
            .as("a second frame layout learned, for the dispatch through __traceiter")
            .isEqualTo(2);
      }
      assertThat(verifying.stat(Stat.AUDIT_FIXED)).isGreaterThan(fixedAlone);
      assertThat(verifying.stat(Stat.AUDIT_DISAGREED))
          .as("checks where the two ways disagreed, of %d", verifying.stat(Stat.AUDIT_FIXED))
          .isZero();
    }
  }

  @Test
  void the_stack_scan_alone_counts_the_same_mix_right() throws Exception {
    try (Probe scanning = attach(AuditMode.SCAN_ONLY);
        TestCgroup cgroup = TestCgroup.create("audit-scan")) {
      mix(cgroup);
      assertTheMixIsCountedRight(countsOf(scanning, cgroup));
      assertThat(scanning.stat(Stat.AUDIT_FIXED)).isZero();
    }
  }

  @Test
  void the_fast_way_counts_the_mix_right_and_rarely_scans() throws Exception {
    try (Probe probe = attach(AuditMode.FIXED_SLOTS);
        TestCgroup warmUp = TestCgroup.create("audit-warm");
        TestCgroup cgroup = TestCgroup.create("audit-fast")) {
      mix(warmUp);
      long scannedBefore = probe.stat(Stat.AUDIT_SCANNED);
      mix(cgroup);
      assertTheMixIsCountedRight(countsOf(probe, cgroup));
      assertThat(probe.stat(Stat.AUDIT_SCANNED) - scannedBefore)
          .as("checks scanned once the layout is learned")
          .isLessThan(10);
    }
  }

  @Test
  void without_direct_loads_the_slow_ways_count_the_mix_and_name_the_syscall() throws Exception {
    List<CheckRecord> records = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (Probe slow =
            Probe.attach(
                ProbeOptions.defaults()
                    .withoutDirectLoads()
                    .withEvents(EventOptions.on(java.time.Duration.ofSeconds(1), false)));
        TestCgroup cgroup = TestCgroup.create("audit-slow")) {
      slow.startEvents(records::add);
      mix(cgroup);
      assertTheMixIsCountedRight(countsOf(slow, cgroup));
      assertThat(slow.stat(Stat.AUDIT_FIXED)).isZero();
      for (int i = 0; i < 50 && records.stream().noneMatch(r -> r.cgroupId() == cgroup.id()); i++) {
        Thread.sleep(100);
      }
      assertThat(records)
          .filteredOn(r -> r.cgroupId() == cgroup.id() && r.capability() == CAP_SYS_PACCT)
          .extracting(r -> io.capabilityexporter.events.Syscalls.forThisMachine().name(r.syscall()))
          .contains("acct");
    }
  }
}
