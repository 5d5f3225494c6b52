package io.capabilityexporter.profiles;

import static io.capabilityexporter.profiles.CheckEvents.CHOWN;
import static io.capabilityexporter.profiles.CheckEvents.SYS_ADMIN;
import static io.capabilityexporter.profiles.CheckEvents.SYS_CHROOT;
import static io.capabilityexporter.profiles.CheckEvents.T0;
import static io.capabilityexporter.profiles.CheckEvents.cart;
import static io.capabilityexporter.profiles.CheckEvents.cartDeployment;
import static io.capabilityexporter.profiles.CheckEvents.check;
import static io.capabilityexporter.profiles.CheckEvents.chrootDenied;
import static io.capabilityexporter.profiles.CheckEvents.chrootIn;
import static io.capabilityexporter.profiles.CheckEvents.deployment;
import static io.capabilityexporter.profiles.CheckEvents.granting;
import static io.capabilityexporter.profiles.CheckEvents.mmapProbe;
import static io.capabilityexporter.profiles.CheckEvents.niceDenied;
import static org.assertj.core.api.Assertions.assertThat;

import io.capabilityexporter.domain.ContainerGrants;
import io.capabilityexporter.domain.Flag;
import io.capabilityexporter.domain.Owner;
import io.capabilityexporter.domain.Workload;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ProfileRecorderTest {

  @Test
  void a_workload_denied_chroot_and_nice_needs_them_added_with_all_else_dropped() {
    ProfileRecorder recorder = new ProfileRecorder(ProfileLimits.DEFAULT);
    recorder.record(chrootDenied(12, T0), null);
    recorder.record(niceDenied(3, T0.plusSeconds(5)), null);
    recorder.record(chrootDenied(1, T0.plusSeconds(60)), null);

    WorkloadProfile workload = recorder.snapshot().workloads().get(0);
    assertThat(workload.title()).isEqualTo("shop Deployment/cart");
    assertThat(workload.firstSeen()).isEqualTo(T0);
    assertThat(workload.lastSeen()).isEqualTo(T0.plusSeconds(60));
    ContainerProfile container = workload.containers().get(0);
    assertThat(container.name()).isEqualTo("cart");
    assertThat(container.image()).isEqualTo("registry.example/shop/cart:1.4.2");
    assertThat(container.capabilities())
        .containsExactly(
            new CapabilityUse(
                "SYS_CHROOT",
                0,
                13,
                0,
                0,
                13,
                Flag.YES,
                T0,
                T0.plusSeconds(60),
                List.of("chroot"),
                List.of("chroot")),
            new CapabilityUse(
                "SYS_NICE",
                0,
                3,
                0,
                0,
                3,
                Flag.YES,
                T0.plusSeconds(5),
                T0.plusSeconds(5),
                List.of("setpriority"),
                List.of("nice")));

    Recommendation recommendation = Recommendation.of(container);
    assertThat(recommendation.add()).containsExactly("SYS_CHROOT", "SYS_NICE");
    assertThat(recommendation.denied()).containsExactly("SYS_CHROOT", "SYS_NICE");
    assertThat(ProfileFormat.json(recorder.snapshot()))
        .contains("\"drop\" : [ \"ALL\" ]", "\"add\" : [ \"SYS_CHROOT\", \"SYS_NICE\" ]");
  }

  @Test
  void noaudit_probes_do_not_appear_in_the_profile() {
    ProfileRecorder recorder = new ProfileRecorder(ProfileLimits.DEFAULT);
    recorder.record(mmapProbe(5000, T0), null);
    recorder.record(chrootDenied(1, T0), null);

    ContainerProfile container = recorder.snapshot().workloads().get(0).containers().get(0);
    assertThat(container.capabilities())
        .extracting(CapabilityUse::capability)
        .containsExactly("SYS_CHROOT");
    assertThat(Recommendation.of(container).add()).doesNotContain("SYS_ADMIN");
  }

  @Test
  void a_workload_seen_only_through_noaudit_probes_has_no_profile() {
    ProfileRecorder recorder = new ProfileRecorder(ProfileLimits.DEFAULT);
    recorder.record(mmapProbe(5000, T0), null);

    assertThat(recorder.snapshot().workloads()).isEmpty();
  }

  @Test
  void a_check_whose_audit_flag_is_unknown_counts_as_audited_and_says_so() {
    ProfileRecorder recorder = new ProfileRecorder(ProfileLimits.DEFAULT);
    recorder.record(
        check(cart(), cartDeployment(), "cart", "mount", SYS_ADMIN, Flag.UNKNOWN, false, 2, T0),
        null);
    recorder.record(
        check(cart(), cartDeployment(), "cart", "mount", SYS_ADMIN, Flag.YES, false, 1, T0), null);

    CapabilityUse use =
        recorder.snapshot().workloads().get(0).containers().get(0).capabilities().get(0);
    assertThat(use.capability()).isEqualTo("SYS_ADMIN");
    assertThat(use.allowed()).isEqualTo(3);
    assertThat(use.audited()).isEqualTo(Flag.UNKNOWN);
  }

  @Test
  void pods_of_one_deployment_make_one_profile_and_a_bare_pod_is_its_own_workload() {
    ProfileRecorder recorder = new ProfileRecorder(ProfileLimits.DEFAULT);
    recorder.record(chrootDenied(1, T0), null);
    recorder.record(
        check(
            new Workload("shop", "cart-7d9f-zzzzz", "cart"),
            cartDeployment(),
            "chroot",
            "chroot",
            SYS_CHROOT,
            Flag.YES,
            true,
            1,
            T0),
        null);
    recorder.record(
        check(
            new Workload("shop", "debug", "shell"),
            deployment("Pod", "debug"),
            "chown",
            "fchownat",
            CHOWN,
            Flag.YES,
            false,
            1,
            T0),
        null);

    assertThat(recorder.snapshot().workloads())
        .extracting(WorkloadProfile::title)
        .containsExactly("shop Deployment/cart", "shop Pod/debug");
    assertThat(
            recorder
                .snapshot()
                .workloads()
                .get(0)
                .containers()
                .get(0)
                .capabilities()
                .get(0)
                .denied())
        .isEqualTo(2);
  }

  @Test
  void outside_kubernetes_a_container_or_systemd_unit_is_the_workload() {
    ProfileRecorder recorder = new ProfileRecorder(ProfileLimits.DEFAULT);
    for (String name : List.of("web", "cron.service", "/demo")) {
      recorder.record(
          check(Workload.container(name), null, "x", "chroot", SYS_CHROOT, Flag.YES, false, 1, T0),
          null);
    }

    assertThat(recorder.snapshot().workloads())
        .extracting(WorkloadProfile::title)
        .containsExactly("Cgroup//demo", "Container/web", "SystemdUnit/cron.service");
    assertThat(recorder.snapshot().workloads().get(1).containers().get(0).name()).isEqualTo("web");
  }

  @Test
  void checks_that_name_no_workload_are_left_out() {
    ProfileRecorder recorder = new ProfileRecorder(ProfileLimits.DEFAULT);
    Owner sandbox = new Owner("Deployment", "cart");
    List.of(
            check(Workload.HOST, null, "kworker", "", SYS_ADMIN, Flag.YES, false, 1, T0),
            check(Workload.UNKNOWN, null, "x", "", SYS_ADMIN, Flag.YES, false, 1, T0),
            check(Workload.OVERFLOW, null, "x", "", SYS_ADMIN, Flag.YES, false, 1, T0),
            check(
                new Workload("shop", "cart-1", "POD"),
                sandbox,
                "pause",
                "",
                0,
                Flag.YES,
                false,
                1,
                T0),
            // a pod the API server has not described: its owner is unknown
            check(cart(), null, "chroot", "chroot", SYS_CHROOT, Flag.YES, true, 1, T0))
        .forEach(event -> recorder.record(event, null));

    assertThat(recorder.snapshot().workloads()).isEmpty();
  }

  @Test
  void the_pod_spec_grants_are_kept_and_not_forgotten_when_the_spec_is_unknown() {
    ProfileRecorder recorder = new ProfileRecorder(ProfileLimits.DEFAULT);
    recorder.record(chrootDenied(1, T0), granting("cart", Set.of("NET_ADMIN"), false));
    recorder.record(niceDenied(1, T0), null);

    assertThat(recorder.snapshot().workloads().get(0).containers().get(0).granted())
        .isEqualTo(new ContainerGrants(Set.of("NET_ADMIN"), false));
  }

  @Test
  void the_least_recently_seen_workload_goes_when_there_are_too_many() {
    ProfileRecorder recorder = new ProfileRecorder(new ProfileLimits(2, 32, 16));
    recorder.record(
        check(Workload.container("a"), null, "x", "", SYS_CHROOT, Flag.YES, false, 1, T0), null);
    recorder.record(
        check(
            Workload.container("b"),
            null,
            "x",
            "",
            SYS_CHROOT,
            Flag.YES,
            false,
            1,
            T0.plusSeconds(1)),
        null);
    recorder.record(
        check(
            Workload.container("a"),
            null,
            "x",
            "",
            SYS_CHROOT,
            Flag.YES,
            false,
            1,
            T0.plusSeconds(2)),
        null);
    recorder.record(
        check(
            Workload.container("c"),
            null,
            "x",
            "",
            SYS_CHROOT,
            Flag.YES,
            false,
            1,
            T0.plusSeconds(3)),
        null);

    assertThat(recorder.snapshot().workloads())
        .extracting(WorkloadProfile::name)
        .containsExactly("a", "c");
  }

  @Test
  void a_churn_of_short_lived_cgroups_does_not_push_out_a_long_lived_workload() {
    ProfileRecorder recorder = new ProfileRecorder(ProfileLimits.DEFAULT);
    recorder.record(chrootIn("/long-lived", 1, T0), null); // checked at its start, still running
    for (int i = 0; i < 5_000; i++) {
      long cgroup = 100 + i;
      Instant when = T0.plusMillis(1 + i);
      // Half end before their check is recorded (the cgroup ring read ahead of the events').
      if (i % 2 == 0) {
        recorder.released(cgroup);
        recorder.record(chrootIn("/churn/c" + i, cgroup, when), null);
      } else {
        recorder.record(chrootIn("/churn/c" + i, cgroup, when), null);
        recorder.released(cgroup);
      }
    }

    Profiles profiles = recorder.snapshot();
    assertThat(profiles.workloads()).hasSize(ProfileLimits.DEFAULT.workloads());
    assertThat(profiles.workloads()).extracting(WorkloadProfile::name).contains("/long-lived");
    assertThat(profiles.evictions()).isEqualTo(5_001 - ProfileLimits.DEFAULT.workloads());
    assertThat(profiles.evicted())
        .as("the last ones named")
        .hasSize(ProfileRecorder.EVICTIONS_KEPT)
        .last()
        .extracting(Eviction::name)
        .isEqualTo("/churn/c" + (5_000 - ProfileLimits.DEFAULT.workloads()));
    ContainerProfile churned =
        profiles.workloads().stream()
            .filter(w -> w.name().equals("/churn/c4998"))
            .findFirst()
            .orElseThrow()
            .containers()
            .get(0);
    assertThat(churned.lifecycle().stops())
        .as("an end seen before its check is still its stop")
        .isEqualTo(1);
  }

  @Test
  void checks_reported_after_their_cgroup_ended_are_not_another_start() {
    ProfileRecorder recorder = new ProfileRecorder(ProfileLimits.DEFAULT);
    recorder.record(chrootIn("/web", 7, T0), null);
    recorder.released(7);
    // The repeats of the last window, and a deny whose class waited, come after the end.
    recorder.record(chrootIn("/web", 7, T0.plusSeconds(1)), null);
    recorder.record(chrootIn("/web", 7, T0.plusSeconds(1)), null);
    recorder.record(chrootIn("/web", 8, T0.plusSeconds(2)), null); // the next run

    Lifecycle lifecycle = recorder.snapshot().workloads().get(0).containers().get(0).lifecycle();
    assertThat(lifecycle.starts()).isEqualTo(2);
    assertThat(lifecycle.stops()).isEqualTo(1);
  }

  @Test
  void when_every_workload_runs_the_least_recently_seen_goes() {
    ProfileRecorder recorder = new ProfileRecorder(new ProfileLimits(2, 32, 16));
    recorder.record(chrootIn("/a", 1, T0), null);
    recorder.record(chrootIn("/b", 2, T0.plusSeconds(1)), null);
    recorder.record(chrootIn("/c", 3, T0.plusSeconds(2)), null);

    assertThat(recorder.snapshot().workloads())
        .extracting(WorkloadProfile::name)
        .containsExactly("/b", "/c");
    assertThat(recorder.evictions()).isEqualTo(1);
  }

  @Test
  void the_least_recently_seen_container_goes_when_a_workload_has_too_many() {
    ProfileRecorder recorder = new ProfileRecorder(new ProfileLimits(10, 2, 16));
    for (int i = 0; i < 5; i++) {
      recorder.record(
          check(
              new Workload("shop", "cart-1", "c" + i),
              cartDeployment(),
              "x",
              "",
              SYS_CHROOT,
              Flag.YES,
              false,
              1,
              T0.plusSeconds(i)),
          null);
    }

    assertThat(recorder.snapshot().workloads().get(0).containers())
        .extracting(ContainerProfile::name)
        .containsExactly("c3", "c4");
  }

  @Test
  void a_capability_keeps_only_the_most_recent_syscalls_and_commands() {
    ProfileRecorder recorder = new ProfileRecorder(new ProfileLimits(10, 10, 3));
    for (String name : List.of("a", "b", "c", "a", "d")) {
      recorder.record(
          check(cart(), cartDeployment(), name, name, SYS_CHROOT, Flag.YES, false, 1, T0), null);
    }

    CapabilityUse use =
        recorder.snapshot().workloads().get(0).containers().get(0).capabilities().get(0);
    assertThat(use.syscalls()).containsExactly("c", "a", "d");
    assertThat(use.comms()).containsExactly("c", "a", "d");
    assertThat(use.allowed()).isEqualTo(5);
  }

  @Test
  void counts_stop_at_the_largest_long_instead_of_wrapping_negative() {
    ProfileRecorder recorder = new ProfileRecorder(ProfileLimits.DEFAULT);
    recorder.record(chrootDenied(Long.MAX_VALUE - 1, T0), null);
    recorder.record(chrootDenied(5, T0), null);

    assertThat(
            recorder
                .snapshot()
                .workloads()
                .get(0)
                .containers()
                .get(0)
                .capabilities()
                .get(0)
                .denied())
        .isEqualTo(Long.MAX_VALUE);
  }
}
