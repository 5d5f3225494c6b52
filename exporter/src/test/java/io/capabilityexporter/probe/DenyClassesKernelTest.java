package io.capabilityexporter.probe;

import static io.capabilityexporter.testing.KernelTests.helper;
import static io.capabilityexporter.testing.KernelTests.trigger;
import static org.assertj.core.api.Assertions.assertThat;

import io.capabilityexporter.domain.Flag;
import io.capabilityexporter.testing.KernelTest;
import io.capabilityexporter.testing.KernelTests;
import io.capabilityexporter.testing.TestCgroup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a program did about a deny, as the kernel shows it (bpf/denies.bpf.h), with processes of the
 * test's own: the kernel's fallback to the capability it tries next, a privilege-drop check, a deny
 * the process exited right after, and a plain one it went on from.
 */
@KernelTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DenyClassesKernelTest {
  private static final int CAP_DAC_OVERRIDE = 1;
  private static final int CAP_DAC_READ_SEARCH = 2;
  private static final int CAP_SETUID = 7;
  private static final int CAP_SYS_CHROOT = 18;

  private Probe probe;

  @BeforeAll
  void attach() throws Exception {
    probe = Probe.attach(ProbeOptions.defaults());
  }

  @AfterAll
  void detach() {
    if (probe != null) {
      probe.close();
    }
  }

  /** The cgroup's audited checks by "capability verdict class". */
  private Map<String, Long> counts(TestCgroup cgroup) throws Exception {
    return KernelTests.counts(
        probe,
        cgroup,
        key -> key.audit() != Flag.NO,
        key ->
            key.capability()
                + (key.denied() ? " deny " : " allow ")
                + key.denyClass().name().toLowerCase(java.util.Locale.ROOT));
  }

  @Test
  void a_directory_read_without_dac_read_search_falls_back_to_dac_override(@TempDir Path dir)
      throws Exception {
    Path closed = Files.createDirectory(dir.resolve("closed"));
    Files.writeString(closed.resolve("file"), "x");
    Files.setPosixFilePermissions(closed, PosixFilePermissions.fromString("---------"));
    try (TestCgroup cgroup = TestCgroup.create("deny-fallback")) {
      // root, not the owner by the mode bits: the kernel asks DAC_READ_SEARCH, then DAC_OVERRIDE.
      cgroup.run("exec capsh --drop=cap_dac_read_search -- -c 'exec ls " + closed + "'");
      assertThat(counts(cgroup))
          .containsEntry(CAP_DAC_READ_SEARCH + " deny fallback", 1L)
          .containsEntry(CAP_DAC_OVERRIDE + " allow none", 1L)
          .doesNotContainKey(CAP_DAC_READ_SEARCH + " deny none");
    } finally {
      Files.setPosixFilePermissions(closed, PosixFilePermissions.fromString("rwx------"));
    }
  }

  @Test
  void setuid_to_root_after_giving_root_up_is_a_drop_check() throws Exception {
    try (TestCgroup cgroup = TestCgroup.create("deny-drop-check")) {
      cgroup.run(
          "setpriv --reuid=65534 --regid=65534 --clear-groups "
              + helper("trigger")
              + " setroot 3 > /dev/null; true");
      assertThat(counts(cgroup))
          .containsEntry(CAP_SETUID + " deny drop_check", 3L)
          .doesNotContainKey(CAP_SETUID + " deny none");
    }
  }

  @Test
  void a_deny_the_process_exits_failing_after_is_before_exit_and_the_rest_plain() throws Exception {
    try (TestCgroup cgroup = TestCgroup.create("deny-exit")) {
      // Five refused chroots, then exit status 3: the program gave up for want of the capability.
      cgroup.run(
          helper("trigger") + " --drop " + CAP_SYS_CHROOT + " --fail chroot 5 >/dev/null; true");
      Map<String, Long> counts = counts(cgroup);
      assertThat(counts)
          .containsEntry(CAP_SYS_CHROOT + " deny none", 4L)
          .containsEntry(CAP_SYS_CHROOT + " deny before_exit", 1L);
      // The series' total is every deny, whatever its class.
      assertThat(
              counts.entrySet().stream()
                  .filter(e -> e.getKey().startsWith(CAP_SYS_CHROOT + " deny"))
                  .mapToLong(Map.Entry::getValue)
                  .sum())
          .isEqualTo(5);
    }
  }

  @Test
  void a_deny_the_process_then_exits_0_after_is_plain() throws Exception {
    try (TestCgroup cgroup = TestCgroup.create("deny-exit-0")) {
      trigger(cgroup, CAP_SYS_CHROOT, "chroot", 5); // exits 0: it did what it meant to
      assertThat(counts(cgroup))
          .containsEntry(CAP_SYS_CHROOT + " deny none", 5L)
          .doesNotContainKey(CAP_SYS_CHROOT + " deny before_exit");
    }
  }

  @Test
  void a_deny_the_process_goes_on_from_is_plain_once_a_second_has_passed(@TempDir Path dir)
      throws Exception {
    Path script =
        Files.writeString(
            dir.resolve("deny-then-live.py"),
            """
            import os, time
            try:
                os.chroot("/")
            except OSError:
                pass
            time.sleep(3)
            """);
    try (TestCgroup cgroup = TestCgroup.create("deny-plain")) {
      // A denied chroot, then 3 s alive with no audited check: no class comes, and the deny is
      // counted as a plain one when the exporter settles what waited longer than a second.
      cgroup.run("exec capsh --drop=cap_sys_chroot -- -c 'exec python3 " + script + "'");
      assertThat(counts(cgroup))
          .containsEntry(CAP_SYS_CHROOT + " deny none", 1L)
          .doesNotContainKey(CAP_SYS_CHROOT + " deny before_exit");
    }
  }
}
