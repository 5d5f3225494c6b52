package io.capabilityexporter.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.capabilityexporter.attribution.Attributor;
import io.capabilityexporter.attribution.CgroupResolver;
import io.capabilityexporter.domain.Workload;
import io.capabilityexporter.probe.CountSource;
import io.capabilityexporter.probe.Counts;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CgroupLifecycleTest {
  private static final Workload JOB = Workload.container("job.service");
  private final Map<Long, Workload> names = new HashMap<>();
  private final Set<Long> gone = new HashSet<>();
  private final List<Long> kernelForgot = new ArrayList<>();
  private final List<Long> attributionForgot = new ArrayList<>();

  private final CountSource kernel =
      new CountSource() {
        @Override
        public Counts readCounts() {
          throw new UnsupportedOperationException();
        }

        @Override
        public void forget(long cgroupId) {
          kernelForgot.add(cgroupId);
        }
      };

  private final Attributor attributor =
      new Attributor() {
        @Override
        public Optional<Workload> attribute(long cgroupId) {
          return Optional.ofNullable(names.get(cgroupId));
        }

        @Override
        public boolean isGone(long cgroupId) {
          return gone.contains(cgroupId);
        }

        @Override
        public void forget(long cgroupId) {
          attributionForgot.add(cgroupId);
        }
      };

  private final CgroupLifecycle lifecycle =
      new CgroupLifecycle(
          kernel,
          new CgroupResolver(attributor, Duration.ofSeconds(60), new SimpleMeterRegistry()));

  @Test
  void a_live_cgroup_is_read_under_its_name_and_not_for_the_last_time() {
    names.put(42L, JOB);
    assertThat(lifecycle.read(42, false, 0)).isEqualTo(new CgroupLifecycle.Read(JOB, false));
  }

  @Test
  void a_cgroup_not_named_yet_waits() {
    assertThat(lifecycle.read(42, false, 0).workload()).isNull();
  }

  @Test
  void a_block_the_kernel_released_before_the_read_is_read_for_the_last_time() {
    names.put(42L, JOB);
    assertThat(lifecycle.read(42, true, 0).last()).isTrue();
  }

  @Test
  void a_cgroup_gone_by_attribution_is_read_once_more_since_the_read_may_have_come_first() {
    names.put(42L, JOB);
    gone.add(42L);
    assertThat(lifecycle.read(42, false, 0).last()).isFalse();
    assertThat(lifecycle.read(42, false, 1).last()).isTrue();
  }

  @Test
  void a_gone_cgroup_still_waiting_for_its_name_keeps_its_last_read_for_when_it_comes() {
    gone.add(42L);
    lifecycle.read(42, false, 0);
    assertThat(lifecycle.read(42, false, 1)).isEqualTo(new CgroupLifecycle.Read(null, true));
    names.put(42L, JOB);
    assertThat(lifecycle.read(42, false, 2)).isEqualTo(new CgroupLifecycle.Read(JOB, true));
  }

  @Test
  void a_release_lets_the_counts_go_from_the_kernel_and_the_name_from_attribution() {
    names.put(42L, JOB);
    gone.add(42L);
    lifecycle.read(42, false, 0);
    lifecycle.release(42);
    assertThat(kernelForgot).containsExactly(42L);
    assertThat(attributionForgot).containsExactly(42L);
    gone.clear();
    assertThat(lifecycle.read(42, false, 1).last()).as("nothing left of it here").isFalse();
  }
}
