package io.capabilityexporter.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class CheckTest {
  private static final int SYS_ADMIN = 21;

  private static Check atDepth(int usernsLevel) {
    return new Check(SYS_ADMIN, false, Flag.YES, usernsLevel);
  }

  private static Supplier<Optional<PodFacts>> pod(boolean ownUserNamespace) {
    return () -> Optional.of(Pods.granting(Map.of(), Map.of(), Map.of(), ownUserNamespace));
  }

  @Test
  void a_namespace_under_the_hosts_is_the_workloads_own_unless_the_pod_runs_in_it() {
    assertThat(atDepth(1).nestedUserNs(pod(false))).isTrue();
    assertThat(atDepth(1).nestedUserNs(Optional::empty)).isTrue();
    assertThat(atDepth(1).nestedUserNs(pod(true))).isFalse();
    assertThat(atDepth(2).nestedUserNs(pod(true))).isTrue();
  }

  @Test
  void the_pod_is_asked_for_only_when_the_depth_alone_cannot_tell() {
    AtomicInteger asked = new AtomicInteger();
    Supplier<Optional<PodFacts>> counting =
        () -> {
          asked.incrementAndGet();
          return Optional.empty();
        };

    assertThat(atDepth(0).nestedUserNs(counting)).isFalse();
    assertThat(atDepth(3).nestedUserNs(counting)).isTrue();
    assertThat(asked).hasValue(0);
  }
}
