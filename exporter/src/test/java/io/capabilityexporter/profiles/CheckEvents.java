package io.capabilityexporter.profiles;

import io.capabilityexporter.attribution.PodDetails;
import io.capabilityexporter.attribution.Workload;
import io.capabilityexporter.events.CheckEvent;
import io.capabilityexporter.expected.PodFacts;
import io.capabilityexporter.expected.PodFacts.ContainerGrants;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Check events as the events thread hands them to the recorder, built by hand. */
final class CheckEvents {
  static final Instant T0 = Instant.parse("2025-06-01T12:34:56Z");
  static final int SYS_CHROOT = 18;
  static final int SYS_ADMIN = 21;
  static final int SYS_NICE = 23;
  static final int NET_BIND_SERVICE = 10;
  static final int CHOWN = 0;
  static final String CONTAINER_ID =
      "3f4e5d6c7b8a99887766554433221100ffeeddccbbaa00112233445566778899";

  private CheckEvents() {}

  /** The {@code cart} container of pod {@code cart-7d9f-x2x4q}, Deployment {@code shop/cart}. */
  static Workload cart() {
    return new Workload("shop", "cart-7d9f-x2x4q", "cart");
  }

  static PodDetails deployment(String kind, String name) {
    return new PodDetails(
        "6f1c2b1e-3a4d-4e5f-8a9b-0c1d2e3f4a5b",
        kind,
        name,
        CONTAINER_ID,
        "registry.example/shop/" + name + ":1.4.2");
  }

  static PodDetails cartDeployment() {
    return deployment("Deployment", "cart");
  }

  /** The pod's spec: container {@code cart} granted {@code added}. */
  static PodFacts granting(String container, Set<String> added, boolean privileged) {
    return new PodFacts(
        Map.of("app", "cart"), Map.of(), Map.of(container, new ContainerGrants(added, privileged)));
  }

  static CheckEvent check(
      Workload workload,
      PodDetails pod,
      String comm,
      String syscall,
      int capability,
      Boolean audit,
      boolean denied,
      long count,
      Instant when) {
    return new CheckEvent(
        when,
        "node-1",
        workload,
        pod,
        9001L,
        4711,
        4711,
        comm,
        syscall,
        1000,
        1000,
        capability,
        audit,
        false,
        denied,
        4026531837L,
        4026531837L,
        4026531841L,
        0L,
        count,
        List.of(),
        0);
  }

  /** {@code chroot /srv} with CAP_SYS_CHROOT dropped, audited, {@code count} times. */
  static CheckEvent chrootDenied(long count, Instant when) {
    return check(cart(), cartDeployment(), "chroot", "chroot", SYS_CHROOT, true, true, count, when);
  }

  /** {@code nice -n -5} with CAP_SYS_NICE dropped. */
  static CheckEvent niceDenied(long count, Instant when) {
    return check(
        cart(), cartDeployment(), "nice", "setpriority", SYS_NICE, true, true, count, when);
  }

  /** The SYS_ADMIN probe every mmap makes: noaudit, the program does not fail. */
  static CheckEvent mmapProbe(long count, Instant when) {
    return check(cart(), cartDeployment(), "cart", "mmap", SYS_ADMIN, false, false, count, when);
  }
}
