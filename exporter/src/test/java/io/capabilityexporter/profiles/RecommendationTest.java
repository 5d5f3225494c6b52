package io.capabilityexporter.profiles;

import static io.capabilityexporter.profiles.CheckEvents.NET_BIND_SERVICE;
import static io.capabilityexporter.profiles.CheckEvents.SYS_CHROOT;
import static io.capabilityexporter.profiles.CheckEvents.T0;
import static io.capabilityexporter.profiles.CheckEvents.cart;
import static io.capabilityexporter.profiles.CheckEvents.cartDeployment;
import static io.capabilityexporter.profiles.CheckEvents.check;
import static io.capabilityexporter.profiles.CheckEvents.chrootDenied;
import static io.capabilityexporter.profiles.CheckEvents.granting;
import static io.capabilityexporter.profiles.CheckEvents.niceDenied;
import static org.assertj.core.api.Assertions.assertThat;

import io.capabilityexporter.domain.Flag;
import io.capabilityexporter.domain.PodFacts;
import io.capabilityexporter.events.CheckEvent;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RecommendationTest {

  private static Recommendation of(PodFacts facts, CheckEvent... events) {
    ProfileRecorder recorder = new ProfileRecorder(ProfileLimits.DEFAULT);
    for (CheckEvent event : events) {
      recorder.record(event, facts);
    }
    return Recommendation.of(recorder.snapshot().workloads().get(0).containers().get(0));
  }

  private static CheckEvent bind() {
    return check(
        cart(), cartDeployment(), "cart", "bind", NET_BIND_SERVICE, Flag.YES, false, 1, T0);
  }

  private static CheckEvent chrootAllowed() {
    return check(cart(), cartDeployment(), "chroot", "chroot", SYS_CHROOT, Flag.YES, false, 1, T0);
  }

  @Test
  void a_granted_capability_never_checked_is_to_be_dropped() {
    Recommendation recommendation =
        of(granting("cart", Set.of("NET_ADMIN", "NET_BIND_SERVICE", "SYS_TIME"), false), bind());

    assertThat(recommendation.add()).containsExactly("NET_BIND_SERVICE");
    assertThat(recommendation.unusedGrants()).containsExactly("NET_ADMIN", "SYS_TIME");
    assertThat(recommendation.denied()).isEmpty();
    assertThat(recommendation.grantsKnown()).isTrue();
  }

  @Test
  void allowed_checks_are_added_back_too_since_drop_all_removes_the_runtime_defaults() {
    Recommendation recommendation = of(null, chrootAllowed(), niceDenied(1, T0));

    assertThat(recommendation.add()).containsExactly("SYS_CHROOT", "SYS_NICE");
    assertThat(recommendation.denied()).containsExactly("SYS_NICE");
  }

  @Test
  void without_the_pod_spec_nothing_is_called_unused() {
    Recommendation recommendation = of(null, bind());

    assertThat(recommendation.grantsKnown()).isFalse();
    assertThat(recommendation.unusedGrants()).isEmpty();
  }

  @Test
  void a_privileged_container_is_told_to_stop_being_privileged() {
    ProfileRecorder recorder = new ProfileRecorder(ProfileLimits.DEFAULT);
    recorder.record(bind(), granting("cart", Set.of(), true));

    assertThat(Recommendation.of(recorder.snapshot().workloads().get(0).containers().get(0)))
        .returns(true, Recommendation::privileged);
    assertThat(ProfileFormat.yaml(recorder.snapshot()))
        .contains("        securityContext:\n          privileged: false\n");
  }

  @Test
  void only_net_bind_service_fits_both_baseline_and_restricted() {
    Recommendation recommendation = of(null, bind());

    assertThat(recommendation.baseline()).isEqualTo(new PodSecurity.Verdict(true, List.of()));
    assertThat(recommendation.restricted()).isEqualTo(new PodSecurity.Verdict(true, List.of()));
  }

  @Test
  void sys_chroot_fits_baseline_but_not_restricted() {
    Recommendation recommendation = of(null, bind(), chrootDenied(1, T0));

    assertThat(recommendation.baseline().allowed()).isTrue();
    assertThat(recommendation.restricted())
        .isEqualTo(new PodSecurity.Verdict(false, List.of("SYS_CHROOT")));
  }

  @Test
  void sys_nice_fits_neither_and_is_named() {
    Recommendation recommendation = of(null, chrootDenied(1, T0), niceDenied(1, T0));

    assertThat(recommendation.baseline())
        .isEqualTo(new PodSecurity.Verdict(false, List.of("SYS_NICE")));
    assertThat(recommendation.restricted())
        .isEqualTo(new PodSecurity.Verdict(false, List.of("SYS_CHROOT", "SYS_NICE")));
  }

  @Test
  void baseline_allows_the_runtimes_defaults_and_names_net_raw_and_anything_beyond() {
    // Pod Security Standards, baseline: the defaults of containerd and CRI-O less NET_RAW.
    assertThat(PodSecurity.baseline(List.of("CHOWN", "KILL", "SETUID", "MKNOD", "SYS_CHROOT")))
        .isEqualTo(new PodSecurity.Verdict(true, List.of()));
    assertThat(PodSecurity.baseline(List.of("CHOWN", "NET_RAW", "SYS_ADMIN", "SYS_PTRACE")))
        .isEqualTo(new PodSecurity.Verdict(false, List.of("NET_RAW", "SYS_ADMIN", "SYS_PTRACE")));
    assertThat(PodSecurity.restricted(List.of("NET_BIND_SERVICE")))
        .isEqualTo(new PodSecurity.Verdict(true, List.of()));
  }
}
