package io.capabilityexporter.kubernetes;

import static io.capabilityexporter.testing.KernelTests.CAP_SYS_CHROOT;
import static io.capabilityexporter.testing.KernelTests.trigger;
import static org.assertj.core.api.Assertions.assertThat;

import io.capabilityexporter.metrics.CheckCounters;
import io.capabilityexporter.node.Exporter;
import io.capabilityexporter.probe.ProbeOptions;
import io.capabilityexporter.testing.Exposition;
import io.capabilityexporter.testing.FakeApiServer;
import io.capabilityexporter.testing.KernelTest;
import io.capabilityexporter.testing.TestCgroup;
import io.capabilityexporter.testing.TestPods;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A simulated Kubernetes node: real cgroups named as the kubelet names them (systemd and cgroupfs
 * drivers), real processes in them making denied and allowed checks on the real kernel, and an API
 * server of the test's own that lists and watches the node's pods.
 */
@KernelTest
class PodAttributionKernelTest {
  private static final String NODE = "node-1";

  @TempDir Path dir;

  /**
   * kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod<uid_>.slice/cri-containerd-<id>.scope
   */
  private static String systemdDriver(String uid, String id) {
    String escaped = uid.replace('-', '_');
    return "kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod"
        + escaped
        + ".slice/cri-containerd-"
        + id
        + ".scope";
  }

  /** kubepods/besteffort/pod<uid>/<id> */
  private static String cgroupfsDriver(String uid, String id) {
    return "kubepods/besteffort/pod" + uid + "/" + id;
  }

  private Exporter start(FakeApiServer api, Duration attributionGrace, Duration seriesGrace)
      throws Exception {
    return Exporter.start(
        ProbeOptions.defaults(),
        new CheckCounters.Lifetimes(attributionGrace, seriesGrace),
        "test",
        api.nodeEnvironment(dir, NODE),
        new Exporter.Files(null, null));
  }

  private static String scrape(Exporter exporter) throws Exception {
    return exporter.scraper().scrape(false).body();
  }

  private static String series(
      String namespace, String pod, String container, String capability, String verdict) {
    return series(namespace, pod, container, capability, verdict, false);
  }

  private static String series(
      String namespace,
      String pod,
      String container,
      String capability,
      String verdict,
      boolean expected) {
    return Exposition.checks(namespace, pod, container, capability, verdict, expected) + " ";
  }

  /** The value of the series, once it shows in a scrape within 10 s; -1 if it never does. */
  private static long valueOf(Exporter exporter, String series) throws Exception {
    for (int attempt = 0; attempt < 100; attempt++) {
      for (String line : scrape(exporter).split("\n")) {
        if (line.startsWith(series)) {
          return Long.parseLong(line.substring(series.length()).strip());
        }
      }
      Thread.sleep(100);
    }
    return -1;
  }

  private static void await(BooleanSupplier condition, String what) throws Exception {
    for (int attempt = 0; attempt < 200 && !condition.getAsBoolean(); attempt++) {
      Thread.sleep(50);
    }
    assertThat(condition.getAsBoolean()).as(what).isTrue();
  }

  @Test
  void a_pod_whose_container_cgroup_is_gone_before_the_scrape_is_still_named() throws Exception {
    String uid = UUID.randomUUID().toString();
    String id = TestPods.containerId();
    try (FakeApiServer api = FakeApiServer.start();
        Exporter exporter = start(api, Duration.ofMinutes(1), Duration.ofMinutes(5))) {
      api.put(
          TestPods.deploymentPod("jobs", "once-6d4cf56db6-a1b2c", uid, NODE, "once", "main", id));
      await(exporter::ready, "the pod informer synced");
      scrape(exporter);
      try (TestCgroup container = TestCgroup.nested("k8s-blink", cgroupfsDriver(uid, id))) {
        assertThat(trigger(container, CAP_SYS_CHROOT, "chroot", 100))
            .isEqualTo("0 allowed 100 denied");
      }
      assertThat(
              valueOf(
                  exporter, series("jobs", "once-6d4cf56db6-a1b2c", "main", "SYS_CHROOT", "deny")))
          .as("the gone container's checks, under its pod and container")
          .isEqualTo(100);
    }
  }

  @Test
  void a_pod_deleted_before_the_scrape_with_its_container_gone_is_still_named() throws Exception {
    String uid = UUID.randomUUID().toString();
    String id = TestPods.containerId();
    Pod pod =
        TestPods.deploymentPod("jobs", "run-rm-6d4cf56db6-z9y8x", uid, NODE, "run-rm", "main", id);
    try (FakeApiServer api = FakeApiServer.start();
        Exporter exporter = start(api, Duration.ofMinutes(1), Duration.ofMinutes(5))) {
      api.put(pod);
      await(exporter::ready, "the pod informer synced");
      await(() -> podsKnown(exporter) == 1, "the pod is known");
      scrape(exporter);
      try (TestCgroup container = TestCgroup.nested("k8s-rm", cgroupfsDriver(uid, id))) {
        trigger(container, CAP_SYS_CHROOT, "chroot", 10);
      }
      api.delete(pod);
      await(() -> podsKnown(exporter) == 0, "the informer saw the pod deleted");
      assertThat(
              valueOf(
                  exporter,
                  series("jobs", "run-rm-6d4cf56db6-z9y8x", "main", "SYS_CHROOT", "deny")))
          .as("a deleted pod's last checks, under its pod and container")
          .isEqualTo(10);
    }
  }

  private static double podsKnown(Exporter exporter) {
    return exporter.registry().get("capability.exporter.kubernetes.pods").gauge().value();
  }

  @Test
  void series_carry_the_namespace_pod_and_container_under_both_cgroup_drivers() throws Exception {
    String cartUid = UUID.randomUUID().toString();
    String cartId = TestPods.containerId();
    String reportUid = UUID.randomUUID().toString();
    String reportId = TestPods.containerId();
    try (FakeApiServer api = FakeApiServer.start();
        Exporter exporter = start(api, Duration.ofMinutes(1), Duration.ofMinutes(5));
        TestCgroup cart = TestCgroup.nested("k8s-systemd", systemdDriver(cartUid, cartId));
        TestCgroup report =
            TestCgroup.nested("k8s-cgroupfs", cgroupfsDriver(reportUid, reportId))) {
      api.put(
          TestPods.deploymentPod(
              "shop", "cart-6d4cf56db6-x7k2p", cartUid, NODE, "cart", "cart", cartId));
      api.put(
          TestPods.deploymentPod(
              "batch", "report-6d4cf56db6-q9z8m", reportUid, NODE, "report", "report", reportId));
      await(exporter::ready, "the pod informer synced");

      assertThat(trigger(cart, CAP_SYS_CHROOT, "chroot", 1000)).isEqualTo("0 allowed 1000 denied");
      assertThat(trigger(report, null, "acct", 100_000)).isEqualTo("100000 allowed 0 denied");

      assertThat(
              valueOf(
                  exporter, series("shop", "cart-6d4cf56db6-x7k2p", "cart", "SYS_CHROOT", "deny")))
          .isEqualTo(1000);
      assertThat(
              valueOf(
                  exporter,
                  series("batch", "report-6d4cf56db6-q9z8m", "report", "SYS_PACCT", "allow")))
          .isEqualTo(100_000);
      assertThat(api.requests())
          .as("only this node's pods are listed and watched")
          .allMatch(r -> r.contains("fieldSelector=spec.nodeName%3D" + NODE));
    }
  }

  @Test
  void a_pod_the_api_server_describes_late_gets_every_check_counted_before() throws Exception {
    String uid = UUID.randomUUID().toString();
    String id = TestPods.containerId();
    try (FakeApiServer api = FakeApiServer.start();
        Exporter exporter = start(api, Duration.ofMinutes(1), Duration.ofMinutes(5));
        TestCgroup container = TestCgroup.nested("k8s-late", systemdDriver(uid, id))) {
      await(exporter::ready, "the pod informer synced");
      trigger(container, CAP_SYS_CHROOT, "chroot", 500);
      Thread.sleep(1500); // scrapes meanwhile find a pod cgroup of a pod nobody described
      assertThat(scrape(exporter)).doesNotContain("SYS_CHROOT");

      api.put(
          TestPods.deploymentPod("shop", "late-6d4cf56db6-aaaaa", uid, NODE, "late", "app", id));
      assertThat(
              valueOf(
                  exporter, series("shop", "late-6d4cf56db6-aaaaa", "app", "SYS_CHROOT", "deny")))
          .isEqualTo(500);
    }
  }

  @Test
  void counts_taken_while_the_api_server_was_down_end_up_under_the_right_pod() throws Exception {
    String uid = UUID.randomUUID().toString();
    String id = TestPods.containerId();
    try (FakeApiServer api = FakeApiServer.down();
        Exporter exporter = start(api, Duration.ofMillis(500), Duration.ofMinutes(5));
        TestCgroup container = TestCgroup.nested("k8s-down", systemdDriver(uid, id))) {
      assertThat(exporter.ready()).as("not ready before the pods are known").isFalse();
      trigger(container, CAP_SYS_CHROOT, "chroot", 300);
      Thread.sleep(2000); // four times the attribution grace: still waiting, not "(unknown)"
      String meanwhile = scrape(exporter);
      assertThat(meanwhile)
          .doesNotContain("SYS_CHROOT")
          .doesNotContainPattern("(?m)^capability_checks_total\\{[^}]*container=\"\\(unknown\\)\"");
      assertThat(counter(meanwhile, "capability_exporter_kubernetes_api_failures_total"))
          .isPositive();

      api.put(
          TestPods.deploymentPod("shop", "cart-6d4cf56db6-down1", uid, NODE, "cart", "cart", id));
      api.goUp();
      await(exporter::ready, "ready once the API server answers");
      assertThat(
              valueOf(
                  exporter, series("shop", "cart-6d4cf56db6-down1", "cart", "SYS_CHROOT", "deny")))
          .isEqualTo(300);
    }
  }

  @Test
  void a_restarted_container_waits_for_its_new_id_and_is_never_taken_for_the_sandbox()
      throws Exception {
    String uid = UUID.randomUUID().toString();
    String oldId = TestPods.containerId();
    String newId = TestPods.containerId();
    Pod restarting = TestPods.deploymentPod("shop", "cart-r1", uid, NODE, "cart", "cart", oldId);
    // The old container has exited; the kubelet has not reported the new one yet.
    restarting.getStatus().getContainerStatuses().get(0).getState().setRunning(null);
    try (FakeApiServer api = FakeApiServer.start();
        Exporter exporter = start(api, Duration.ofMinutes(1), Duration.ofMinutes(5));
        TestCgroup container = TestCgroup.nested("k8s-restart", systemdDriver(uid, newId))) {
      api.put(restarting);
      await(exporter::ready, "the pod informer synced");
      trigger(container, CAP_SYS_CHROOT, "chroot", 40);
      Thread.sleep(1500); // scrapes meanwhile see a cgroup whose id the status does not list
      assertThat(scrape(exporter)).doesNotContain("container=\"POD\"").doesNotContain("cart-r1");

      api.put(TestPods.deploymentPod("shop", "cart-r1", uid, NODE, "cart", "cart", newId));
      assertThat(valueOf(exporter, series("shop", "cart-r1", "cart", "SYS_CHROOT", "deny")))
          .isEqualTo(40);
      assertThat(scrape(exporter)).doesNotContain("container=\"POD\"");
    }
  }

  @Test
  void a_deleted_pods_series_leave_after_the_grace_period() throws Exception {
    String uid = UUID.randomUUID().toString();
    String id = TestPods.containerId();
    Pod pod = TestPods.deploymentPod("shop", "gone-6d4cf56db6-bbbbb", uid, NODE, "gone", "app", id);
    String series = series("shop", "gone-6d4cf56db6-bbbbb", "app", "SYS_CHROOT", "deny");
    try (FakeApiServer api = FakeApiServer.start();
        Exporter exporter = start(api, Duration.ofMinutes(1), Duration.ofSeconds(1))) {
      api.put(pod);
      await(exporter::ready, "the pod informer synced");
      try (TestCgroup container = TestCgroup.nested("k8s-gone", systemdDriver(uid, id))) {
        trigger(container, CAP_SYS_CHROOT, "chroot", 10);
        assertThat(valueOf(exporter, series))
            .as(api.requests() + "\n" + container.directory() + "\n" + scrape(exporter))
            .isEqualTo(10);
      }
      api.delete(pod);
      // Idle cgroups are asked "gone?" at most every 10 s; then the 1 s grace period runs.
      for (int attempt = 0; attempt < 150 && scrape(exporter).contains(series); attempt++) {
        Thread.sleep(100);
      }
      assertThat(scrape(exporter)).doesNotContain(series);
    }
  }

  @Test
  void expected_follows_the_annotation_the_spec_and_the_policy_file() throws Exception {
    String annotatedUid = UUID.randomUUID().toString();
    String annotatedId = TestPods.containerId();
    String privilegedUid = UUID.randomUUID().toString();
    String privilegedId = TestPods.containerId();
    String declaredUid = UUID.randomUUID().toString();
    String declaredId = TestPods.containerId();
    Pod annotated =
        TestPods.deploymentPod("shop", "jail-1", annotatedUid, NODE, "jail", "app", annotatedId);
    annotated.getMetadata().setAnnotations(Map.of("capability-exporter.io/expected", "SYS_CHROOT"));
    Pod privileged =
        TestPods.deploymentPod("ops", "tool-1", privilegedUid, NODE, "tool", "app", privilegedId);
    privileged
        .getSpec()
        .getContainers()
        .get(0)
        .setSecurityContext(new SecurityContextBuilder().withPrivileged(true).build());
    Pod declared =
        TestPods.deploymentPod("batch", "acct-1", declaredUid, NODE, "acct", "report", declaredId);
    Path policy =
        Files.writeString(
            dir.resolve("policy.yaml"),
            """
            rules:
              - name: the accounting job turns process accounting on
                namespaces: [batch]
                containers: [report]
                capabilities: [SYS_PACCT]
            """);
    try (FakeApiServer api = FakeApiServer.start();
        Exporter exporter =
            Exporter.start(
                ProbeOptions.defaults(),
                CheckCounters.Lifetimes.defaults(),
                "test",
                api.nodeEnvironment(dir, NODE),
                new Exporter.Files(policy, null));
        TestCgroup a = TestCgroup.nested("k8s-exp", systemdDriver(annotatedUid, annotatedId));
        TestCgroup p = TestCgroup.nested("k8s-exp", systemdDriver(privilegedUid, privilegedId));
        TestCgroup d = TestCgroup.nested("k8s-exp", cgroupfsDriver(declaredUid, declaredId))) {
      api.put(annotated);
      api.put(privileged);
      api.put(declared);
      await(exporter::ready, "the pod informer synced");

      trigger(a, CAP_SYS_CHROOT, "chroot", 7); // rule 2: the annotation lists it
      trigger(p, null, "acct", 5); // rule 3: allowed, and privileged grants everything
      trigger(p, CAP_SYS_CHROOT, "chroot", 3); // ... but the spec never makes a deny expected
      trigger(d, null, "acct", 11); // rule 1: the policy file covers it
      trigger(d, CAP_SYS_CHROOT, "chroot", 2); // ... and only what it lists

      assertThat(valueOf(exporter, series("shop", "jail-1", "app", "SYS_CHROOT", "deny", true)))
          .isEqualTo(7);
      assertThat(valueOf(exporter, series("ops", "tool-1", "app", "SYS_PACCT", "allow", true)))
          .isEqualTo(5);
      assertThat(valueOf(exporter, series("ops", "tool-1", "app", "SYS_CHROOT", "deny", false)))
          .isEqualTo(3);
      assertThat(valueOf(exporter, series("batch", "acct-1", "report", "SYS_PACCT", "allow", true)))
          .isEqualTo(11);
      assertThat(
              valueOf(exporter, series("batch", "acct-1", "report", "SYS_CHROOT", "deny", false)))
          .isEqualTo(2);
    }
  }

  private static double counter(String exposition, String name) {
    var matcher =
        Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*\\})? (\\S+)$")
            .matcher(exposition);
    return matcher.find() ? Double.parseDouble(matcher.group(2)) : -1;
  }
}
