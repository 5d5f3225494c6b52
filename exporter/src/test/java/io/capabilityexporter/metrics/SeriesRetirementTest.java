package io.capabilityexporter.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.capabilityexporter.domain.Workload;
import org.junit.jupiter.api.Test;

class SeriesRetirementTest {
  private static final long GRACE = 300;
  private static final Workload JOB = Workload.container("job.service");
  private final SeriesRetirement retirement = new SeriesRetirement(GRACE);

  @Test
  void a_workload_retires_a_grace_period_after_its_last_cgroup_is_gone_and_once() {
    retirement.read(JOB, 42, false, 0);
    retirement.read(JOB, 42, true, 10);
    assertThat(retirement.retire(10 + GRACE - 1)).isEmpty();
    assertThat(retirement.retire(10 + GRACE)).containsExactly(JOB);
    assertThat(retirement.retire(10 + GRACE + 1)).isEmpty();
  }

  @Test
  void a_workload_stays_while_any_of_its_cgroups_lives() {
    retirement.read(JOB, 42, false, 0);
    retirement.read(JOB, 43, false, 0);
    retirement.read(JOB, 42, true, 10);
    assertThat(retirement.retire(10 * GRACE)).isEmpty();
  }

  @Test
  void a_workload_back_in_a_new_cgroup_within_the_grace_period_stays() {
    retirement.read(JOB, 42, true, 0);
    retirement.read(JOB, 43, false, GRACE - 1);
    assertThat(retirement.retire(10 * GRACE)).isEmpty();
  }

  @Test
  void more_gone_reads_do_not_push_the_retirement_back() {
    retirement.read(JOB, 42, true, 0);
    retirement.read(JOB, 43, true, GRACE - 1);
    assertThat(retirement.retire(GRACE)).containsExactly(JOB);
  }
}
