package io.capabilityexporter.cluster;

import static io.capabilityexporter.testing.KernelTests.trigger;
import static org.assertj.core.api.Assertions.assertThat;

import at.favre.lib.crypto.bcrypt.BCrypt;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.capabilityexporter.testing.FakeApiServer;
import io.capabilityexporter.testing.FakeClusterApi;
import io.capabilityexporter.testing.KernelTest;
import io.capabilityexporter.testing.KernelTests;
import io.capabilityexporter.testing.LaunchedExporter;
import io.capabilityexporter.testing.TestCgroup;
import io.capabilityexporter.testing.TestPods;
import io.capabilityexporter.webconfig.TestCertificates;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code profile --cluster} and {@code trace --cluster} on a cluster of three simulated nodes:
 * three real exporters on this machine's kernel, each told its node and watching its node's pods on
 * the tests' API server, a Deployment whose three pods are spread over them, each pod's container
 * checking chroot a number of times of its own; the exporters serve TLS with basic auth, as a web
 * config has them. From the "workstation" (a kubeconfig for the tests' cluster API, which lists the
 * DaemonSet's pods and port-forwards to them), one command must give one profile and one patch for
 * the Deployment.
 */
@KernelTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {
  private static final List<String> NODES = List.of("node-a", "node-b", "node-c");
  private static final List<Integer> CHROOTS = List.of(2, 3, 4); // each node's pod's
  private static final String PASSWORD = "s3cret";
  private static final int TRACE_ROUNDS = 3; // node-a's and node-b's pods chroot once in each

  @TempDir static Path dir;
  private FakeApiServer api;
  private FakeClusterApi cluster;
  private TestCertificates certs;
  private final List<LaunchedExporter> exporters = new ArrayList<>();
  private final List<TestCgroup> containers = new ArrayList<>();

  @BeforeAll
  void cluster() throws Exception {
    KernelTests.requireRoot();
    certs = TestCertificates.make(dir);
    String hash = BCrypt.with(BCrypt.Version.VERSION_2Y).hashToString(10, PASSWORD.toCharArray());
    Path web =
        Files.writeString(
            dir.resolve("web.yml"),
            """
            tls_server_config:
              cert_file: server.crt
              key_file: server.key
            basic_auth_users:
              admin: %s
            """
                .formatted(hash));
    api = FakeApiServer.start();
    cluster = FakeClusterApi.start();
    for (int i = 0; i < NODES.size(); i++) {
      String node = NODES.get(i);
      Path nodeDir = Files.createDirectory(dir.resolve(node));
      LaunchedExporter exporter =
          LaunchedExporter.start(
              nodeDir,
              api.nodeEnvironment(nodeDir, node),
              "--web.config.file=" + web,
              "--profiles.file=" + nodeDir.resolve("profiles.json"));
      exporters.add(exporter);
      cluster.exporterPod(
          "capability-exporter", "capability-exporter-" + i, node, "Running", exporter.port());
    }
    for (int i = 0; i < NODES.size(); i++) {
      String uid = UUID.randomUUID().toString();
      String id = TestPods.containerId();
      api.put(
          TestPods.deploymentPod(
              "shop", "cart-6d4cf56db6-" + i, uid, NODES.get(i), "cart", "main", id));
      TestCgroup container =
          TestCgroup.nested("cluster", "kubepods/besteffort/pod" + uid + "/" + id);
      containers.add(container);
    }
    Thread.sleep(2000); // each exporter has the pods of its node
    for (int i = 0; i < NODES.size(); i++) {
      trigger(containers.get(i), null, "chroot", CHROOTS.get(i));
    }
  }

  @AfterAll
  void down() throws Exception {
    for (LaunchedExporter exporter : exporters) {
      exporter.close();
    }
    for (TestCgroup container : containers) {
      container.close();
    }
    if (cluster != null) {
      cluster.close();
    }
    if (api != null) {
      api.close();
    }
  }

  private record Answer(int status, String stdout, String stderr) {}

  /** {@code capability-exporter profile --cluster ...} from the workstation. */
  private Answer profile(Map<String, String> environment, String... flags) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                System.getProperty("exporter.launcher", "../bin/capability-exporter"),
                "profile",
                "--cluster"));
    command.addAll(List.of(flags));
    File out = File.createTempFile("cluster", ".out", dir.toFile());
    File err = File.createTempFile("cluster", ".err", dir.toFile());
    ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out).redirectError(err);
    builder.environment().put("KUBECONFIG", cluster.kubeconfig(dir).toString());
    builder.environment().remove("KUBERNETES_SERVICE_HOST");
    environment.forEach(builder.environment()::put);
    Process process = builder.start();
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("profile --cluster ends").isTrue();
    return new Answer(
        process.exitValue(),
        Files.readString(out.toPath(), StandardCharsets.UTF_8),
        Files.readString(err.toPath(), StandardCharsets.UTF_8));
  }

  private Answer asAdmin(String... flags) throws Exception {
    List<String> all = new ArrayList<>(List.of("--basic-auth-user=admin"));
    all.add("--tls-ca-file=" + certs.caCert);
    all.addAll(List.of(flags));
    return profile(Map.of("CAPABILITY_EXPORTER_PASSWORD", PASSWORD), all.toArray(String[]::new));
  }

  private static JsonNode chroot(JsonNode answer) {
    for (JsonNode workload : answer.path("profiles").path("workloads")) {
      if (workload.path("name").asText().equals("cart")) {
        for (JsonNode use : workload.path("containers").path(0).path("capabilities")) {
          if (use.path("capability").asText().equals("SYS_CHROOT")) {
            return use;
          }
        }
      }
    }
    return null;
  }

  @Test
  @Order(1)
  void the_deployments_replicas_on_three_nodes_give_one_profile_and_one_patch() throws Exception {
    JsonNode answer = null;
    Answer last = null;
    Instant deadline = Instant.now().plusSeconds(60);
    while (Instant.now().isBefore(deadline)) {
      last = asAdmin("-n", "shop", "-o", "json");
      assertThat(last.status()).as(last.stderr()).isZero();
      answer = new ObjectMapper().readTree(last.stdout());
      JsonNode use = chroot(answer);
      if (use != null && use.path("allowed").asLong() >= 9) {
        break;
      }
      Thread.sleep(1000);
    }
    assertThat(answer.path("partial").asBoolean()).as(last.stdout()).isFalse();
    assertThat(answer.path("workloads").toString())
        .contains("\"workload\":\"shop Deployment/cart\"")
        .contains("\"seenOn\":[\"node-a\",\"node-b\",\"node-c\"]");
    JsonNode use = chroot(answer);
    assertThat(use).as(last.stdout()).isNotNull();
    assertThat(use.path("allowed").asLong()).as("2 + 3 + 4 chroots, summed").isEqualTo(9);
    JsonNode cart = answer.path("profiles").path("workloads").path(0);
    assertThat(cart.path("containers")).hasSize(1);
    assertThat(cart.path("containers").path(0).path("lifecycle").path("starts").asLong())
        .as("one start seen on each node")
        .isEqualTo(3);

    Answer yaml = asAdmin("-n", "shop", "--workload=Deployment/cart", "-o", "yaml");
    assertThat(yaml.status()).as(yaml.stderr()).isZero();
    assertThat(yaml.stdout())
        .contains("# shop Deployment/cart: seen on node-a, node-b, node-c")
        .contains("SYS_CHROOT");
    assertThat(yaml.stdout().split("\n---\n", -1)).as("one patch").hasSize(1);
    System.out.println("cluster: profile --cluster -n shop -o yaml\n" + yaml.stdout());
  }

  @Test
  @Order(2)
  void without_the_password_or_the_permissions_it_says_what_is_missing() throws Exception {
    Answer noPassword =
        profile(Map.of(), "--basic-auth-user=admin", "--tls-ca-file=" + certs.caCert);
    assertThat(noPassword.status()).isEqualTo(2);
    assertThat(noPassword.stderr()).contains("CAPABILITY_EXPORTER_PASSWORD");

    Answer noCredentials = profile(Map.of(), "--tls-ca-file=" + certs.caCert);
    assertThat(noCredentials.status()).isEqualTo(1);
    assertThat(noCredentials.stderr())
        .contains("no exporter answered")
        .contains("node-a (capability-exporter-0): it asks for basic auth");

    Answer wrongName = asAdmin("--tls-server-name=exporter.example", "-o", "json");
    assertThat(wrongName.status()).isEqualTo(1);
    assertThat(wrongName.stderr()).contains("TLS");

    cluster.forbid(FakeClusterApi.Verb.LIST_PODS);
    try {
      Answer refused = asAdmin();
      assertThat(refused.status()).isEqualTo(1);
      assertThat(refused.stderr())
          .contains("you need list on pods in namespace capability-exporter")
          .contains("clusterAccess.create=true");
    } finally {
      cluster.allow(FakeClusterApi.Verb.LIST_PODS);
    }
    cluster.forbid(FakeClusterApi.Verb.PORT_FORWARD);
    try {
      Answer refused = asAdmin();
      assertThat(refused.status()).isEqualTo(1);
      assertThat(refused.stderr()).contains("you need create on pods/portforward");
    } finally {
      cluster.allow(FakeClusterApi.Verb.PORT_FORWARD);
    }
  }

  /**
   * {@code trace --cluster --pod P}: the checks of P, made on its node, and only those, though
   * every exporter here sees every check of the machine.
   */
  @Test
  @Order(3)
  void trace_shows_the_pods_checks_from_its_node_and_only_those() throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                System.getProperty("exporter.launcher", "../bin/capability-exporter"),
                "trace",
                "--cluster",
                "--basic-auth-user=admin",
                "--tls-ca-file=" + certs.caCert,
                "-n",
                "shop",
                "--pod",
                "cart-6d4cf56db6-1",
                "--selector",
                "app=cart", // matched on the node, against the pods it knows
                "-o",
                "json",
                "--timeout",
                "15s"));
    File out = File.createTempFile("trace", ".out", dir.toFile());
    File err = File.createTempFile("trace", ".err", dir.toFile());
    ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out).redirectError(err);
    builder.environment().put("KUBECONFIG", cluster.kubeconfig(dir).toString());
    builder.environment().put("CAPABILITY_EXPORTER_PASSWORD", PASSWORD);
    Process trace = builder.start();
    try {
      Instant deadline = Instant.now().plusSeconds(30);
      while (!Files.readString(err.toPath()).contains("streaming from 3 exporters")
          && trace.isAlive()
          && Instant.now().isBefore(deadline)) {
        Thread.sleep(100);
      }
      assertThat(Files.readString(err.toPath())).contains("streaming from 3 exporters");
      Thread.sleep(1000); // the streams are open on the exporters
      for (int round = 0; round < TRACE_ROUNDS; round++) {
        trigger(containers.get(0), null, "chroot", 1);
        trigger(containers.get(1), null, "chroot", 1);
        Thread.sleep(1200); // a new window: each round is an event of its own
      }
      assertThat(trace.waitFor(30, TimeUnit.SECONDS)).as("ends at its timeout").isTrue();
    } finally {
      trace.destroy();
    }
    assertThat(trace.exitValue()).as(Files.readString(err.toPath())).isZero();
    List<JsonNode> events = new ArrayList<>();
    for (String line : Files.readAllLines(out.toPath())) {
      events.add(new ObjectMapper().readTree(line));
    }
    assertThat(events)
        .as(
            "the chroots of cart-6d4cf56db6-1:\n%s",
            String.join("\n", Files.readAllLines(out.toPath())))
        .anyMatch(event -> event.path("capName").asText().equals("SYS_CHROOT"));
    assertThat(events)
        .allSatisfy(
            event -> {
              assertThat(event.path("pod").asText()).isEqualTo("cart-6d4cf56db6-1");
              assertThat(event.path("node").asText()).isEqualTo("node-b");
            });
    System.out.println("cluster: trace --cluster\n" + Files.readString(out.toPath()));
  }

  @Test
  @Order(4)
  void with_one_exporter_stopped_the_answer_names_its_node_and_says_partial() throws Exception {
    exporters.get(2).stop(); // its pod still listed Running, as until the kubelet notices
    Answer answer = asAdmin("-n", "shop", "-o", "json");
    assertThat(answer.status()).as(answer.stderr()).isZero();
    JsonNode json = new ObjectMapper().readTree(answer.stdout());
    assertThat(json.path("partial").asBoolean()).isTrue();
    assertThat(json.path("exporters").toString())
        .contains("\"node\":\"node-c\",\"pod\":\"capability-exporter-2\",\"answered\":false");
    assertThat(chroot(json).path("allowed").asLong())
        .as("node-a's and node-b's, with the trace's")
        .isEqualTo(CHROOTS.get(0) + CHROOTS.get(1) + 2 * TRACE_ROUNDS);
    assertThat(answer.stderr())
        .contains("partial: no answer from node-c (capability-exporter-2): the port-forward failed")
        .contains("connection refused");
    Answer text = asAdmin("-n", "shop");
    assertThat(text.stdout())
        .contains("# profiles merged from 2 of 3 exporters: node-a, node-b")
        .contains("# PARTIAL: no answer from node-c (capability-exporter-2)")
        .contains("seen on node-a, node-b (partial)");
    System.out.println("cluster: profile --cluster -n shop\n" + text.stdout() + text.stderr());
  }
}
