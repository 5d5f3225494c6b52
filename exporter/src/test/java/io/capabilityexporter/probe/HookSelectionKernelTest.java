package io.capabilityexporter.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.capabilityexporter.testing.KernelTest;
import io.capabilityexporter.testing.KernelTests;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Which hook the probe attaches. This machine's kernel (6.18) has the cap_capable trace event but
 * refuses fentry/fexit programs (EPERM), so the fexit path is exercised up to the kernel's refusal.
 */
@KernelTest
class HookSelectionKernelTest {

  @Test
  void picks_the_trace_event_when_the_kernel_has_it() throws Exception {
    KernelTests.requireRoot();
    try (Probe probe = Probe.attach(ProbeOptions.defaults())) {
      assertThat(probe.hook()).isEqualTo(Hook.TP_BTF);
      assertThat(probe.auditKnown()).isTrue();
    }
  }

  @Test
  void a_kernel_without_a_usable_hook_gets_a_message_naming_each_hook_and_the_fix() {
    KernelTests.requireRoot();
    assertThatThrownBy(
            () -> Probe.attach(new ProbeOptions(1024, List.of(Hook.FEXIT), EventOptions.OFF)))
        .isInstanceOf(ProbeException.class)
        .hasMessageStartingWith(
            "no capability hook could be attached. fexit/cap_capable: cannot load")
        .hasMessageContaining("Operation not permitted")
        .hasMessageContaining("tp_btf/cap_capable needs Linux 6.14+")
        .hasMessageContaining("fexit/cap_capable Linux 5.12+ with BTF");
  }

  @Test
  void a_failed_hook_leaves_nothing_loaded_and_the_next_one_still_attaches() throws Exception {
    KernelTests.requireRoot();
    long before = KernelTests.loadedPrograms("cap_capable_tp");
    try (Probe probe =
        Probe.attach(new ProbeOptions(1024, List.of(Hook.FEXIT, Hook.TP_BTF), EventOptions.OFF))) {
      assertThat(probe.hook()).isEqualTo(Hook.TP_BTF);
      assertThat(KernelTests.loadedPrograms("cap_capable_fex")).isZero();
      assertThat(KernelTests.loadedPrograms("cap_capable_tp")).isEqualTo(before + 1);
    }
  }
}
