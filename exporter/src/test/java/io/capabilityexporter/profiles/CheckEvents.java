package io.capabilityexporter.profiles;

import io.capabilityexporter.domain.Check;
import io.capabilityexporter.domain.ContainerGrants;
import io.capabilityexporter.domain.DenyClass;
import io.capabilityexporter.domain.Flag;
import io.capabilityexporter.domain.Origin;
import io.capabilityexporter.domain.Owner;
import io.capabilityexporter.domain.PodFacts;
import io.capabilityexporter.domain.Pods;
import io.capabilityexporter.domain.Workload;
import io.capabilityexporter.events.CheckEvent;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Check events as the events thread hands them to the recorder, built by hand. */
public final class CheckEvents {
  public static final Instant T0 = Instant.parse("2025-06-01T12:34:56Z");
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

  static Owner deployment(String kind, String name) {
    return new Owner(kind, name);
  }

  static Owner cartDeployment() {
    return deployment("Deployment", "cart");
  }

  /** The pod's spec: container {@code container} granted {@code added}. */
  static PodFacts granting(String container, Set<String> added, boolean privileged) {
    return Pods.granting(
        Map.of("app", "cart"), Map.of(), Map.of(container, new ContainerGrants(added, privileged)));
  }

  /**
   * A check of {@code workload}, in a pod {@code owner} owns (null: none, or not described yet),
   * whose container runs {@code registry.example/shop/<owner>:1.4.2}; container {@code POD} is the
   * pod's sandbox, which has no container id.
   */
  static CheckEvent check(
      Workload workload,
      Owner owner,
      String comm,
      String syscall,
      int capability,
      Flag audit,
      boolean denied,
      long count,
      Instant when) {
    return check(
        workload,
        owner,
        comm,
        syscall,
        capability,
        audit,
        denied,
        denied ? DenyClass.BEFORE_EXIT : DenyClass.NONE,
        count,
        when);
  }

  /**
   * A check; a deny of {@code denyClass} (the shorter form makes denies the last thing before the
   * process exited: the programs of these tests fail for want of the capability).
   */
  static CheckEvent check(
      Workload workload,
      Owner owner,
      String comm,
      String syscall,
      int capability,
      Flag audit,
      boolean denied,
      DenyClass denyClass,
      long count,
      Instant when) {
    return new CheckEvent(
        when,
        "node-1",
        workload,
        owner == null
            ? null
            : Pods.ownedBy(
                owner, workload.container(), "registry.example/shop/" + owner.name() + ":1.4.2"),
        owner == null || workload.container().equals("POD") ? "" : CONTAINER_ID,
        9001L,
        4711,
        4711,
        comm,
        syscall,
        1000,
        1000,
        new Check(capability, denied, audit, 0, denyClass),
        Origin.WORKLOAD,
        Flag.NO,
        4026531837L,
        4026531837L,
        4026531841L,
        0L,
        count,
        List.of());
  }

  /** An allowed chroot in the plain-host cgroup {@code path}, whose id is {@code cgroupId}. */
  static CheckEvent chrootIn(String path, long cgroupId, Instant when) {
    return new CheckEvent(
        when,
        "node-1",
        Workload.container(path),
        null,
        "",
        cgroupId,
        4711,
        4711,
        "chroot",
        "chroot",
        0,
        0,
        new Check(SYS_CHROOT, false, Flag.YES, 0, DenyClass.NONE),
        Origin.WORKLOAD,
        Flag.NO,
        4026531837L,
        4026531837L,
        4026531841L,
        0L,
        1,
        List.of());
  }

  /** {@code chroot /srv} with CAP_SYS_CHROOT dropped, audited, {@code count} times. */
  public static CheckEvent chrootDenied(long count, Instant when) {
    return check(
        cart(), cartDeployment(), "chroot", "chroot", SYS_CHROOT, Flag.YES, true, count, when);
  }

  /** {@code nice -n -5} with CAP_SYS_NICE dropped. */
  public static CheckEvent niceDenied(long count, Instant when) {
    return check(
        cart(), cartDeployment(), "nice", "setpriority", SYS_NICE, Flag.YES, true, count, when);
  }

  /** The SYS_ADMIN probe every mmap makes: noaudit, the program does not fail. */
  public static CheckEvent mmapProbe(long count, Instant when) {
    return check(cart(), cartDeployment(), "cart", "mmap", SYS_ADMIN, Flag.NO, false, count, when);
  }

  /** The same event with another audit flag: unknown where the kernel's addresses are hidden. */
  public static CheckEvent withAudit(CheckEvent e, Flag audit) {
    Check check = e.check();
    return withCheck(
        e,
        new Check(
            check.capability(), check.denied(), audit, check.usernsLevel(), check.denyClass()));
  }

  /** The same event about another check. */
  public static CheckEvent withCheck(CheckEvent e, Check check) {
    return new CheckEvent(
        e.timestamp(),
        e.node(),
        e.workload(),
        e.pod(),
        e.containerId(),
        e.cgroupId(),
        e.pid(),
        e.tid(),
        e.comm(),
        e.syscall(),
        e.uid(),
        e.gid(),
        check,
        e.origin(),
        e.insetid(),
        e.targetUserNs(),
        e.currentUserNs(),
        e.mountNsId(),
        e.effectiveCaps(),
        e.count(),
        e.stack());
  }
}
