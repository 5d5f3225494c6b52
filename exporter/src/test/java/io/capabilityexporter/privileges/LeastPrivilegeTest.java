package io.capabilityexporter.privileges;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class LeastPrivilegeTest {
  private static final long SYS_ADMIN = 1L << 21;
  private static final long SYSLOG = 1L << 34;
  private static final long PERFMON = 1L << 38;
  private static final long BPF = 1L << 39;

  @Test
  void keeps_nothing_when_the_maps_held_answer_without_a_capability() {
    assertThat(LeastPrivilege.needed(BPF | PERFMON | SYSLOG, true)).isZero();
  }

  @Test
  void keeps_bpf_when_the_kernel_refuses_bpf_calls_without_it() {
    assertThat(LeastPrivilege.needed(BPF | PERFMON | SYSLOG, false)).isEqualTo(BPF);
    assertThat(LeastPrivilege.needed(-1L, false)).isEqualTo(BPF);
  }

  @Test
  void keeps_sys_admin_on_a_kernel_without_cap_bpf() {
    assertThat(LeastPrivilege.needed(SYS_ADMIN | SYSLOG, false)).isEqualTo(SYS_ADMIN);
  }

  @Test
  void says_what_it_kept_and_dropped_and_where_it_failed() {
    assertThat(new LeastPrivilege.Outcome(0, BPF | PERFMON | SYSLOG, 21, List.of()).describe())
        .isEqualTo(
            "capabilities after start-up: kept none, dropped SYSLOG, PERFMON, BPF in all 21"
                + " threads");
    assertThat(
            new LeastPrivilege.Outcome(
                    BPF, PERFMON | SYSLOG, 21, List.of("thread 7 (GC Thread#0) still holds BPF"))
                .describe())
        .isEqualTo(
            "capabilities after start-up: kept BPF (bpf() needs it), dropped SYSLOG, PERFMON but"
                + " not in 1 threads: thread 7 (GC Thread#0) still holds BPF");
    assertThat(new LeastPrivilege.Outcome(0, (1L << 41) - 1, 30, List.of()).describe())
        .startsWith("capabilities after start-up: kept none, dropped all 41 it held in all 30");
  }

  @Test
  void a_helper_that_cannot_load_is_a_warning_that_all_are_kept() {
    assertThat(
            new LeastPrivilege.Outcome(0, 0, 0, List.of("all kept for the whole run: no helper"))
                .describe())
        .isEqualTo("warning: capabilities all kept for the whole run: no helper");
  }
}
