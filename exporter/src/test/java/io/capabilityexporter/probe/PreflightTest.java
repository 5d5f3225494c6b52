package io.capabilityexporter.probe;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a user sees when the host cannot run the probe, with /proc and /sys as files of our own. */
class PreflightTest {
  @TempDir Path dir;

  private Path status(String capEff) throws Exception {
    return Files.writeString(
        dir.resolve("status"),
        "Name:\tjava\nCapInh:\t0000000000000000\nCapPrm:\t"
            + capEff
            + "\nCapEff:\t"
            + capEff
            + "\nCapBnd:\t000001ffffffffff\n");
  }

  @Test
  void without_bpf_privileges_says_to_run_as_root_or_grant_the_capabilities() throws Exception {
    assertThatThrownBy(() -> Preflight.check(status("0000000000000000"), dir))
        .isInstanceOf(ProbeException.class)
        .hasMessageStartingWith("not allowed to load BPF programs: run as root (sudo)")
        .hasMessageContaining("CAP_BPF, CAP_PERFMON and CAP_SYSLOG");
  }

  @Test
  void cap_bpf_and_cap_perfmon_are_enough_without_sys_admin() throws Exception {
    // CAP_PERFMON (38) and CAP_BPF (39) only: past the privilege check, stopped by the BTF one.
    assertThatThrownBy(() -> Preflight.check(status("000000c000000000"), dir.resolve("vmlinux")))
        .hasMessageStartingWith("this kernel has no BTF");
  }

  @Test
  void without_btf_names_the_file_and_the_kernel_option() throws Exception {
    Path missing = dir.resolve("vmlinux");
    assertThatThrownBy(() -> Preflight.check(status("000001ffffffffff"), missing))
        .isInstanceOf(ProbeException.class)
        .hasMessage(
            "this kernel has no BTF ("
                + missing
                + " is missing): run a kernel built with CONFIG_DEBUG_INFO_BTF=y");
  }

  @Test
  void an_unreadable_status_file_counts_as_no_privileges() {
    assertThatThrownBy(() -> Preflight.check(dir.resolve("absent"), dir))
        .hasMessageStartingWith("not allowed to load BPF programs");
  }
}
