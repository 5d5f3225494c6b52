package io.capabilityexporter.capabilities;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CapabilitySetsTest {
  private static final long SYSLOG = 1L << 34;
  private static final long PERFMON = 1L << 38;
  private static final long BPF = 1L << 39;

  @Test
  void a_thread_holds_only_what_is_kept_in_every_set_it_can_use_or_pass_on() {
    assertThat(new CapabilitySets(0, BPF, BPF, -1L, 0, true).holdsOnly(BPF)).isTrue();
    assertThat(new CapabilitySets(0, BPF, 0, 0, 0, true).holdsOnly(0)).isFalse();
    assertThat(new CapabilitySets(SYSLOG, 0, 0, 0, 0, true).holdsOnly(0)).isFalse();
    assertThat(new CapabilitySets(0, 0, 0, 0, PERFMON, true).holdsOnly(0)).isFalse();
  }
}
