package io.capabilityexporter.profiles;

import static org.assertj.core.api.Assertions.assertThat;

import io.capabilityexporter.domain.Flag;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A Deployment's replicas recorded on two nodes: one profile, as if one node had seen it all. */
class ProfileMergeTest {
  private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");

  private static CapabilityUse use(
      String capability, long allowed, long denied, long beforeExit, int at, String comm) {
    return new CapabilityUse(
        capability,
        allowed,
        denied,
        0,
        0,
        beforeExit,
        Flag.YES,
        T0.plusSeconds(at),
        T0.plusSeconds(at + 1),
        List.of("chroot"),
        List.of(comm));
  }

  private static WorkloadProfile cart(int at, Lifecycle lifecycle, CapabilityUse... uses) {
    ContainerProfile main =
        new ContainerProfile(
            "main", "", null, T0.plusSeconds(at), T0.plusSeconds(at + 1), List.of(uses), lifecycle);
    return new WorkloadProfile(
        "shop", "Deployment", "cart", T0.plusSeconds(at), T0.plusSeconds(at + 1), List.of(main));
  }

  @Test
  void counts_are_summed_times_widened_and_the_lifecycle_is_the_whole_workloads() {
    Profiles nodeA =
        new Profiles(
            List.of(cart(10, new Lifecycle(1, 1, 0, false), use("SYS_CHROOT", 2, 0, 0, 10, "a"))));
    WorkloadProfile db = new WorkloadProfile("shop", "StatefulSet", "db", T0, T0, List.of());
    Profiles nodeB =
        new Profiles(
            List.of(
                cart(
                    5,
                    new Lifecycle(1, 0, 2, true),
                    use("SYS_CHROOT", 3, 1, 1, 5, "b"),
                    use("SETUID", 1, 0, 0, 6, "b")),
                db));

    Profiles merged = ProfileMerge.merge(List.of(nodeA, nodeB));

    assertThat(merged.workloads())
        .extracting(WorkloadProfile::title)
        .containsExactly("shop Deployment/cart", "shop StatefulSet/db");
    WorkloadProfile cart = merged.workloads().get(0);
    assertThat(cart.firstSeen()).isEqualTo(T0.plusSeconds(5));
    assertThat(cart.lastSeen()).isEqualTo(T0.plusSeconds(11));
    ContainerProfile main = cart.containers().get(0);
    assertThat(main.lifecycle()).isEqualTo(new Lifecycle(2, 1, 2, true));
    assertThat(main.capabilities())
        .extracting(CapabilityUse::capability)
        .containsExactly("SETUID", "SYS_CHROOT");
    CapabilityUse chroot = main.capabilities().get(1);
    assertThat(List.of(chroot.allowed(), chroot.denied(), chroot.beforeExit()))
        .containsExactly(5L, 1L, 1L);
    assertThat(chroot.comms()).containsExactly("a", "b");
    assertThat(chroot.syscalls()).containsExactly("chroot");
    assertThat(chroot.firstSeen()).isEqualTo(T0.plusSeconds(5));
    assertThat(chroot.lastSeen()).isEqualTo(T0.plusSeconds(11));
    assertThat(main.cutShort()).as("a deny that ended a process on one node").isTrue();
  }

  @Test
  void one_part_merges_to_itself() {
    Profiles only =
        new Profiles(
            List.of(cart(10, new Lifecycle(1, 1, 0, false), use("SYS_CHROOT", 2, 0, 0, 10, "a"))));
    assertThat(ProfileMerge.merge(List.of(only))).isEqualTo(only);
  }
}
