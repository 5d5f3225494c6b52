package io.capabilityexporter.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.capabilityexporter.domain.Flag;
import io.capabilityexporter.probe.CountKey;
import org.junit.jupiter.api.Test;

class KernelTotalsTest {
  private static final CountKey KEY = new CountKey(42, 18, true, Flag.YES);
  private final KernelTotals totals = new KernelTotals();

  @Test
  void a_delta_is_what_the_kernel_counted_since_the_last_read() {
    assertThat(totals.delta(KEY, 3)).isEqualTo(3);
    assertThat(totals.delta(KEY, 3)).isZero();
    assertThat(totals.delta(KEY, 8)).isEqualTo(5);
  }

  @Test
  void a_lower_total_is_nothing_new_and_counting_goes_on_from_the_higher_one() {
    totals.delta(KEY, 10);
    assertThat(totals.delta(KEY, 7)).isZero();
    assertThat(totals.delta(KEY, 12)).isEqualTo(2);
  }

  @Test
  void a_forgotten_key_counts_again_from_zero() {
    totals.delta(KEY, 1000);
    totals.forget(KEY);
    assertThat(totals.delta(KEY, 1)).isEqualTo(1);
  }
}
