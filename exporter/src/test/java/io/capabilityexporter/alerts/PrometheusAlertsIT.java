package io.capabilityexporter.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.capabilityexporter.grafana.Dashboards;
import io.capabilityexporter.grafana.Dashboards.PanelQuery;
import io.capabilityexporter.grafana.Dashboards.VariableQuery;
import io.capabilityexporter.testing.KernelTest;
import io.capabilityexporter.testing.KernelTests;
import io.capabilityexporter.testing.LaunchedExporter;
import io.capabilityexporter.testing.TestCgroup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The alert rules and the dashboards as a user runs them: Debian's Prometheus on loopback scrapes
 * the exporter that bin/capability-exporter started on the real kernel, every second, with the
 * repository's alerts/*.rules.yml loaded, while processes of the test's own, each in a cgroup of
 * its own, make the checks. The host's other processes make checks too: every assertion is scoped
 * to the test's cgroups, whose {@code container} label is their path.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@KernelTest
class PrometheusAlertsIT {
  /** {@code for: 0m}; scrapes and evaluations every second; the rest is margin. */
  private static final Duration FIRES_WITHIN = Duration.ofSeconds(30);

  @TempDir static Path dir;
  private static LaunchedExporter exporter;
  private static PrometheusServer prometheus;
  private static AlertmanagerServer alertmanager;
  private static String instance;
  private static TestCgroup denied;
  private static TestCgroup sysAdmin;
  private static Instant checked;

  @BeforeAll
  static void start() throws Exception {
    KernelTests.requireRoot();
    Path policy = Files.writeString(dir.resolve("policy.yaml"), "rules: []\n");
    exporter = LaunchedExporter.start(dir, "--config=" + policy);
    instance = "127.0.0.1:" + exporter.port();
    alertmanager = AlertmanagerServer.start(dir);
    prometheus =
        PrometheusServer.start(
            dir, instance, AlertFiles.DIR.resolve("*.rules.yml").toString(), alertmanager.target());
    await(
        "the exporter scraped",
        () -> !prometheus.query("up{job=\"capability-exporter\"} == 1").isEmpty());

    denied = TestCgroup.create("alerts-it-deny");
    sysAdmin = TestCgroup.create("alerts-it-sysadmin");
    // The first checks of both cgroups: their series are new to Prometheus.
    assertThat(KernelTests.trigger(denied, KernelTests.CAP_SYS_CHROOT, "chroot", 100))
        .isEqualTo("0 allowed 100 denied");
    assertThat(KernelTests.trigger(sysAdmin, null, "swapoff", 3)).isEqualTo("3 allowed 0 denied");
    checked = Instant.now();
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      if (prometheus != null) {
        prometheus.close();
      }
      if (alertmanager != null) {
        alertmanager.close();
      }
    } finally {
      try {
        if (exporter != null) {
          exporter.close();
        }
      } finally {
        for (TestCgroup cgroup : new TestCgroup[] {denied, sysAdmin}) {
          if (cgroup != null) {
            cgroup.close();
          }
        }
      }
    }
  }

  private interface Condition {
    boolean holds() throws Exception;
  }

  private static void await(String what, Condition condition) throws Exception {
    await(what, condition, Duration.ofSeconds(30));
  }

  private static void await(String what, Condition condition, Duration within) throws Exception {
    Instant deadline = Instant.now().plus(within);
    while (!condition.holds()) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError(
            what
                + ": not within "
                + within.toSeconds()
                + " s\nprometheus log:\n"
                + prometheus.log()
                + "\nexporter log:\n"
                + exporter.log());
      }
      Thread.sleep(250);
    }
  }

  private static List<JsonNode> alerts(String name, String container) throws Exception {
    List<JsonNode> found = new ArrayList<>();
    for (JsonNode alert : prometheus.alerts()) {
      JsonNode labels = alert.path("labels");
      if (labels.path("alertname").asText().equals(name)
          && labels.path("container").asText().equals(container)) {
        found.add(alert);
      }
    }
    return found;
  }

  private static Optional<JsonNode> firing(String name, String container) throws Exception {
    return alerts(name, container).stream()
        .filter(alert -> alert.path("state").asText().equals("firing"))
        .findFirst();
  }

  private static Map<String, String> labels(JsonNode alert) {
    Map<String, String> labels = new LinkedHashMap<>();
    alert.path("labels").properties().forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
    return labels;
  }

  private static JsonNode awaitFiring(String name, String container) throws Exception {
    await(
        name + " firing for container " + container,
        () -> firing(name, container).isPresent(),
        FIRES_WITHIN.minus(Duration.between(checked, Instant.now())));
    return firing(name, container).orElseThrow();
  }

  @Test
  @Order(1)
  void the_first_unexpected_deny_of_a_container_fires_CapabilityUnexpectedDeny_naming_it()
      throws Exception {
    JsonNode alert = awaitFiring("CapabilityUnexpectedDeny", denied.label());
    System.out.println("CapabilityUnexpectedDeny as Prometheus shows it: " + alert);
    assertThat(labels(alert))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "alertname", "CapabilityUnexpectedDeny",
                "severity", "warning",
                "job", "capability-exporter",
                "instance", instance,
                "container", denied.label(),
                "capability", "SYS_CHROOT",
                "verdict", "deny",
                "expected", "false"));
    assertThat(alert.path("annotations").path("summary").asText())
        .isEqualTo(denied.label() + " was denied CAP_SYS_CHROOT.");
    assertThat(alert.path("annotations").path("description").asText())
        .startsWith(denied.label() + " asked for CAP_SYS_CHROOT in the last 5 minutes")
        .contains("(exporter " + instance + ")")
        .endsWith(
            "capability-exporter trace --container='"
                + denied.label()
                + "' --cap=SYS_CHROOT --verdict=deny");
    assertThat(alert.path("annotations").path("runbook_url").asText())
        .isEqualTo("alerts/runbooks/CapabilityUnexpectedDeny.md");
  }

  @Test
  @Order(2)
  void alertmanager_delivers_it_to_a_webhook_with_what_a_person_reads() throws Exception {
    String container = denied.label();
    await(
        "Alertmanager's webhook notified of CapabilityUnexpectedDeny for " + container,
        () -> delivered("CapabilityUnexpectedDeny", container) != null,
        Duration.ofSeconds(60));
    JsonNode alert = delivered("CapabilityUnexpectedDeny", container);
    System.out.println("CapabilityUnexpectedDeny as the webhook received it: " + alert);
    assertThat(alert.path("status").asText()).isEqualTo("firing");
    assertThat(labels(alert))
        .containsEntry("alertname", "CapabilityUnexpectedDeny")
        .containsEntry("severity", "warning")
        .containsEntry("container", container)
        .containsEntry("capability", "SYS_CHROOT")
        .containsEntry("instance", instance);
    assertThat(alert.path("annotations").path("summary").asText())
        .isEqualTo(container + " was denied CAP_SYS_CHROOT.");
    assertThat(alert.path("annotations").path("description").asText())
        .contains("capability-exporter trace --container='" + container + "'");
    assertThat(alert.path("annotations").path("runbook_url").asText())
        .isEqualTo("alerts/runbooks/CapabilityUnexpectedDeny.md");
  }

  /** The alert of that name and container in a webhook notification so far, or null. */
  private static JsonNode delivered(String alertname, String container) {
    for (JsonNode notification : alertmanager.notifications()) {
      for (JsonNode alert : notification.path("alerts")) {
        JsonNode labels = alert.path("labels");
        if (labels.path("alertname").asText().equals(alertname)
            && labels.path("container").asText().equals(container)) {
          return alert;
        }
      }
    }
    return null;
  }

  @Test
  @Order(2)
  void an_allowed_unexpected_sys_admin_check_fires_CapabilityUnexpectedSysAdmin_and_no_deny()
      throws Exception {
    JsonNode alert = awaitFiring("CapabilityUnexpectedSysAdmin", sysAdmin.label());
    assertThat(labels(alert))
        .containsAllEntriesOf(
            Map.of(
                "severity", "critical",
                "container", sysAdmin.label(),
                "capability", "SYS_ADMIN",
                "verdict", "allow",
                "expected", "false"));
    assertThat(alert.path("annotations").path("summary").asText())
        .isEqualTo(sysAdmin.label() + " used CAP_SYS_ADMIN unexpectedly (allow).");
    assertThat(alerts("CapabilityUnexpectedDeny", sysAdmin.label())).isEmpty();
  }

  @Test
  @Order(3)
  void the_expected_sys_admin_probes_of_the_denied_process_fire_nothing() throws Exception {
    awaitFiring("CapabilityUnexpectedDeny", denied.label());
    // Its mmap and brk probe SYS_ADMIN without auditing: counted, and expected.
    JsonNode probes =
        prometheus.query(
            "capability_checks_total{container=\""
                + denied.label()
                + "\",capability=\"SYS_ADMIN\"}");
    assertThat(probes).isNotEmpty();
    assertThat(probes)
        .allSatisfy(
            series ->
                assertThat(series.path("metric").path("expected").asText()).isEqualTo("true"));
    Thread.sleep(3000); // three more evaluations
    assertThat(alerts("CapabilityUnexpectedSysAdmin", denied.label())).isEmpty();
  }

  @Test
  @Order(4)
  void a_healthy_exporter_fires_no_health_alert_and_every_rule_evaluates_without_error()
      throws Exception {
    await(
        "every rule evaluated with health ok",
        () -> {
          for (JsonNode group : prometheus.ruleGroups()) {
            for (JsonNode rule : group.path("rules")) {
              if (!rule.path("health").asText().equals("ok")) {
                return false;
              }
            }
          }
          return true;
        });
    List<String> names = new ArrayList<>();
    for (JsonNode group : prometheus.ruleGroups()) {
      for (JsonNode rule : group.path("rules")) {
        names.add(rule.path("name").asText());
        assertThat(rule.path("lastError").asText("")).as(rule.path("name").asText()).isEmpty();
      }
    }
    assertThat(names)
        .containsExactlyInAnyOrderElementsOf(
            AlertFiles.alerts().stream().map(rule -> (String) rule.get("alert")).toList());
    // AttributionFailing (info) is left out: the host's short-lived cgroups, other tests' among
    // them, go to container="(unknown)" whatever the exporter's health.
    List<String> health = new ArrayList<>();
    for (JsonNode alert : prometheus.alerts()) {
      String name = alert.path("labels").path("alertname").asText();
      if (name.startsWith("CapabilityExporter")
          && !name.equals("CapabilityExporterAttributionFailing")) {
        health.add(alert.toString());
      }
    }
    assertThat(health).as("health alerts pending or firing").isEmpty();
  }

  private static Collection<JsonNode> dashboards() {
    return Dashboards.all().values();
  }

  private static String errorOf(JsonNode answer) {
    return answer.path("status").asText().equals("success")
        ? null
        : answer.path("error").asText(answer.toString());
  }

  @Test
  @Order(5)
  void every_query_of_every_dashboard_runs() throws Exception {
    List<String> failures = new ArrayList<>();
    int queries = 0;
    for (JsonNode dashboard : dashboards()) {
      for (PanelQuery query : Dashboards.panelQueries(dashboard)) {
        queries++;
        String error = errorOf(prometheus.get("/api/v1/query", "query", query.expr()));
        if (error != null) {
          failures.add(query + "\n  -> " + error);
        }
      }
      for (VariableQuery query : Dashboards.variableQueries(dashboard)) {
        queries++;
        JsonNode answer =
            switch (query.kind()) {
              case SERIES -> prometheus.get("/api/v1/series", "match[]", query.argument());
              case LABEL ->
                  prometheus.get("/api/v1/label/" + query.argument() + "/values", null, null);
              case QUERY -> prometheus.get("/api/v1/query", "query", query.argument());
            };
        String error = errorOf(answer);
        if (error != null) {
          failures.add(query + "\n  -> " + error);
        }
      }
    }
    assertThat(queries).isPositive();
    assertThat(failures).as("queries Prometheus refused").isEmpty();
  }

  /**
   * The overview's panels over capability_checks_total: between the test's checks (an unexpected
   * deny, an unexpected SYS_ADMIN, the expected noaudit probes, and both again after a scrape so
   * that increase() sees them grow) and the host's own, each has something to show.
   */
  @Test
  @Order(6)
  void the_overview_dashboards_panels_on_the_checks_show_data() throws Exception {
    String deniesSeries =
        "capability_checks_total{container=\"" + denied.label() + "\",verdict=\"deny\"}";
    await("the first denies scraped", () -> !prometheus.query(deniesSeries + " == 100").isEmpty());
    assertThat(KernelTests.trigger(denied, KernelTests.CAP_SYS_CHROOT, "chroot", 100))
        .isEqualTo("0 allowed 100 denied");
    assertThat(KernelTests.trigger(sysAdmin, null, "swapoff", 3)).isEqualTo("3 allowed 0 denied");
    await("the second denies scraped", () -> !prometheus.query(deniesSeries + " == 200").isEmpty());

    JsonNode overview =
        dashboards().stream()
            .filter(d -> d.path("uid").asText().equals("capability-overview"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no dashboard with uid capability-overview"));
    Map<Integer, List<PanelQuery>> panels = new LinkedHashMap<>();
    for (PanelQuery query : Dashboards.panelQueries(overview)) {
      panels.computeIfAbsent(query.panelId(), id -> new ArrayList<>()).add(query);
    }
    List<String> empty = new ArrayList<>();
    int checked = 0;
    for (List<PanelQuery> queries : panels.values()) {
      if (queries.stream().noneMatch(q -> q.expr().contains("capability_checks_total"))) {
        continue;
      }
      checked++;
      boolean data = false;
      for (PanelQuery query : queries) {
        JsonNode result = prometheus.query(query.expr());
        data |= result.isArray() ? result.size() > 0 : !result.isMissingNode();
      }
      if (!data) {
        empty.add(queries.get(0).toString());
      }
    }
    assertThat(checked).as("panels on capability_checks_total").isPositive();
    assertThat(empty).as("panels with no data").isEmpty();
  }
}
