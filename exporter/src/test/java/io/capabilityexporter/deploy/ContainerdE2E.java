package io.capabilityexporter.deploy;

import static io.capabilityexporter.testing.KernelTests.loadedPrograms;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.capabilityexporter.capabilities.Capability;
import io.capabilityexporter.testing.Command;
import io.capabilityexporter.testing.Exposition;
import io.capabilityexporter.testing.FakeApiServer;
import io.capabilityexporter.testing.KernelTest;
import io.capabilityexporter.testing.KernelTests;
import io.capabilityexporter.testing.TestPods;
import io.fabric8.kubernetes.api.model.Pod;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The image built from deploy/Dockerfile, run by a real containerd and runc with what the rendered
 * DaemonSet asks for (capabilities, seccomp RuntimeDefault, read-only root, hostPID, its volumes),
 * watching the pods of its node on the tests' API server; real containers of pods, in cgroups named
 * as a kubelet names them under either cgroup driver, make denied checks that the exporter names by
 * namespace, pod and container. {@code make e2e} builds the images and runs this (e2e/run.sh).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@KernelTest
class ContainerdE2E {
  private static final String NODE = "e2e-node";
  private static final String NAMESPACE = "e2e";
  private static final Pattern SERVING =
      Pattern.compile("serving http://127\\.0\\.0\\.1:(\\d+)/metrics");
  private static final String PROGRAM = "cap_capable_tp";

  private static final List<AutoCloseable> cleanUp = new ArrayList<>();
  private static final HttpClient http = HttpClient.newHttpClient();
  private static Deploy.Rendered base;
  private static Containerd containerd;
  private static FakeApiServer api;
  private static KubeletCgroups cgroups;
  private static String exporterId;
  private static Pod exporterPod;
  private static Process exporter;
  private static Path exporterLog;
  private static Path exporterPid;
  private static int port;
  private static CtrRun.Run run;
  private static long programsBefore;

  private static String property(String name) {
    String value = System.getProperty(name);
    assertThat(value).as("-D%s (make e2e sets it)", name).isNotBlank();
    return value;
  }

  @BeforeAll
  static void start() throws Exception {
    KernelTests.requireRoot();
    Path work = Path.of(property("e2e.dir"));
    base = Deploy.base();
    // Each step registers its undoing at once: whatever fails later, it is undone.
    cgroups = new KubeletCgroups(work.getFileName().toString());
    cleanUp.add(cgroups::remove);
    api = FakeApiServer.start();
    cleanUp.add(api);
    containerd = Containerd.start(work.resolve("containerd"), "capexp-e2e", cgroups.engine());
    cleanUp.add(containerd);
    containerd.importImages(Path.of(property("e2e.images")));

    exporterId = TestPods.containerId();
    String podUid = UUID.randomUUID().toString();
    exporterPod = ExporterPod.of(base, NODE, podUid, exporterId);
    api.put(exporterPod);
    Path node = work.resolve("node");
    Path kubeconfig = api.kubeconfig(Files.createDirectories(node.resolve("kubeconfig")));
    port = freePort();
    run =
        CtrRun.exporter(
            base,
            entrypoint(),
            new CtrRun.Node(NODE, node, containerd.pid(), "127.0.0.1:" + port, kubeconfig));
    List<String> command = containerd.command("run");
    command.addAll(containerd.runOptions());
    command.addAll(run.options());
    String qos = KubeletCgroups.qos(base.exporter());
    command.addAll(List.of("--cgroup", cgroups.cgroupfs(qos, podUid, exporterId)));
    exporterPid = node.resolve("exporter.pid");
    command.addAll(List.of("--pid-file", exporterPid.toString()));
    command.add(property("e2e.image"));
    command.add(exporterId);
    command.addAll(run.args());

    programsBefore = loadedPrograms(PROGRAM);
    exporterLog = node.resolve("exporter.log");
    exporter =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(exporterLog.toFile())
            .start();
    cleanUp.add(ContainerdE2E::stopExporter);
    awaitServing();
  }

  @AfterAll
  static void stop() throws Exception {
    Exception first = null;
    List<AutoCloseable> lastFirst = new ArrayList<>(cleanUp);
    Collections.reverse(lastFirst);
    for (AutoCloseable step : lastFirst) {
      try {
        step.close();
      } catch (Exception e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }

  /** The image's ENTRYPOINT, which the container keeps: it gives only args. */
  private static List<String> entrypoint() throws Exception {
    String json = Dockerfile.read().all("ENTRYPOINT").get(0).arguments();
    return List.of(new ObjectMapper().readValue(json, String[].class));
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static void awaitServing() throws Exception {
    Instant deadline = Instant.now().plusSeconds(120);
    while (Instant.now().isBefore(deadline)) {
      Matcher serving = SERVING.matcher(log());
      if (serving.find()) {
        assertThat(Integer.parseInt(serving.group(1))).isEqualTo(port);
        return;
      }
      if (!exporter.isAlive()) {
        throw new AssertionError(
            "the exporter's container ended "
                + exporter.exitValue()
                + ":\n"
                + log()
                + "\ncontainerd:\n"
                + containerd.log());
      }
      Thread.sleep(200);
    }
    throw new AssertionError("no start-up line within 120 s:\n" + log());
  }

  private static String log() throws Exception {
    return Files.readString(exporterLog);
  }

  /** SIGTERM to the container's process, as a kubelet stops it; its exit status. */
  private static int stopExporter() throws Exception {
    if (!exporter.isAlive()) {
      return exporter.exitValue();
    }
    containerd.ctrOk("tasks", "kill", "--signal", "SIGTERM", exporterId);
    if (!exporter.waitFor(45, TimeUnit.SECONDS)) {
      containerd.ctr(Duration.ofMinutes(1), "tasks", "kill", "--signal", "SIGKILL", exporterId);
      exporter.waitFor(30, TimeUnit.SECONDS);
      throw new AssertionError("the exporter did not end within 45 s of SIGTERM:\n" + log());
    }
    return exporter.exitValue();
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(10))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** /metrics once it holds a line that {@code wanted} accepts, or the last one at the limit. */
  private static String metricsOnce(Predicate<String> wanted) throws Exception {
    Instant deadline = Instant.now().plusSeconds(60);
    String metrics = get("/metrics").body();
    while (!wanted.test(metrics) && Instant.now().isBefore(deadline)) {
      Thread.sleep(500);
      metrics = get("/metrics").body();
    }
    return metrics;
  }

  private static String status(String field) throws Exception {
    long pid = Long.parseLong(Files.readString(exporterPid).strip());
    return Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream()
        .filter(line -> line.startsWith(field + ":"))
        .map(line -> line.substring(field.length() + 1).strip())
        .findFirst()
        .orElseThrow();
  }

  @Test
  @Order(1)
  void is_ready_with_the_daemonsets_privileges_and_keeps_none_once_serving() throws Exception {
    Instant deadline = Instant.now().plusSeconds(60);
    int readyz = get("/readyz").statusCode();
    while (readyz != 200 && Instant.now().isBefore(deadline)) {
      Thread.sleep(500);
      readyz = get("/readyz").statusCode();
    }
    assertThat(readyz).as("/readyz: %s", log()).isEqualTo(200);
    // It started with exactly the DaemonSet's capabilities, and dropped them all in every
    // thread (its native helper unpacked into the emptyDir at /tmp).
    long granted = 0;
    for (String name : base.exporter().getSecurityContext().getCapabilities().getAdd()) {
      granted |= 1L << Capability.number(name).orElseThrow();
    }
    assertThat(log())
        .contains("kept none, dropped " + String.join(", ", Capability.namesOf(granted)));
    assertThat(new BigInteger(status("CapEff"), 16)).isEqualTo(BigInteger.ZERO);
    assertThat(status("NoNewPrivs")).isEqualTo("1");
    assertThat(status("Seccomp")).as("seccomp filter mode").isEqualTo("2");
    assertThat(get("/metrics").body())
        .contains(
            "capability_exporter_hook_attached{audit_known=\"true\",hook=\"tp_btf/cap_capable\"} 1");
  }

  @Test
  @Order(2)
  void containers_in_kubelet_cgroups_of_either_driver_are_named_by_their_pods() throws Exception {
    List<String> pods = new ArrayList<>();
    for (String driver : List.of("cgroupfs", "systemd")) {
      String uid = UUID.randomUUID().toString();
      String id = TestPods.containerId();
      String pod = driver + "-6d4cf56db6-" + id.substring(0, 5);
      api.put(TestPods.deploymentPod(NAMESPACE, pod, uid, NODE, driver, "app", id));
      String cgroup =
          driver.equals("cgroupfs")
              ? cgroups.cgroupfs("besteffort", uid, id)
              : cgroups.systemd("besteffort", uid, id);
      Workloads.run(containerd, property("e2e.base"), id, cgroup);
      pods.add(pod);
    }
    for (String pod : pods) {
      for (Map.Entry<String, Double> denied : Workloads.DENIED.entrySet()) {
        String series = series(denied.getKey(), pod);
        String metrics = metricsOnce(m -> m.contains(series + " "));
        assertThat(Exposition.value(metrics, series))
            .as(series + "\n" + metrics)
            .contains(denied.getValue());
      }
      get("/metrics")
          .body()
          .lines()
          .filter(line -> line.contains("pod=\"" + pod + "\""))
          .forEach(System.out::println);
    }
  }

  /** The unexpected deny of one capability to the container "app" of pod {@code pod}. */
  private static String series(String capability, String pod) {
    return Exposition.checks(NAMESPACE, pod, "app", capability, "deny", false);
  }

  @Test
  @Order(3)
  void its_own_checks_carry_its_pod() throws Exception {
    Predicate<String> own =
        line ->
            line.startsWith("capability_checks_total{")
                && line.contains(",container=\"" + base.exporter().getName() + "\",")
                && line.contains(
                    ",namespace=\""
                        + exporterPod.getMetadata().getNamespace()
                        + "\",pod=\""
                        + exporterPod.getMetadata().getName()
                        + "\",");
    String metrics = metricsOnce(m -> m.lines().anyMatch(own));
    assertThat(metrics.lines().filter(own)).as(metrics).isNotEmpty();
    metrics.lines().filter(own).forEach(System.out::println);
  }

  /**
   * Pods' containers of {@code true}, and execs into a running one, as containerd and its runc make
   * them (a kubelet's exec probes and {@code kubectl exec} are such execs): only the programs'
   * checks are the containers' own, the runtime's are counted apart, and nothing of the execs'
   * setup lands where containerd runs. The exporter's own container, its pod's annotation and
   * grants in force, makes no check an alert fires on, its start-up included.
   */
  @Test
  @Order(4)
  void a_containers_setup_and_its_execs_setup_are_the_runtimes() throws Exception {
    Map<String, String> ids = new java.util.HashMap<>();
    int[] execs = {0};
    RuntimeSetups.Engine engine =
        new RuntimeSetups.Engine() {
          /** A pod of the name, one container "app" in a kubelet's cgroup: ctr run's args. */
          private List<String> pod(String name) throws Exception {
            String uid = UUID.randomUUID().toString();
            String id = TestPods.containerId();
            ids.put(name, id);
            api.put(TestPods.deploymentPod(NAMESPACE, name, uid, NODE, "setup", "app", id));
            List<String> args = new ArrayList<>(containerd.runOptions());
            args.addAll(List.of("--cgroup", cgroups.cgroupfs("besteffort", uid, id)));
            args.addAll(List.of(property("e2e.base"), id));
            return args;
          }

          @Override
          public void runTrue(String name) throws Exception {
            List<String> args = new ArrayList<>(List.of("run", "--rm"));
            args.addAll(pod(name));
            args.add("true");
            containerd.ctrOk(args.toArray(String[]::new));
          }

          @Override
          public void startSleeping(String name) throws Exception {
            List<String> args = new ArrayList<>(List.of("run", "--detach"));
            args.addAll(pod(name));
            args.addAll(List.of("sleep", "600"));
            containerd.ctrOk(args.toArray(String[]::new));
          }

          @Override
          public void execTrue(String name) throws Exception {
            containerd.ctrOk(
                "tasks", "exec", "--exec-id", "probe-" + execs[0]++, ids.get(name), "true");
          }

          @Override
          public String labels(String name) {
            return "container=\"app\",namespace=\"" + NAMESPACE + "\",pod=\"" + name + "\"";
          }

          @Override
          public String engineLabels() {
            return "container=\"" + cgroups.engineLabel() + "\",namespace=\"\",pod=\"\"";
          }

          @Override
          public boolean cliMountsForAnExec() {
            return false;
          }
        };
    String sleeper = "setup-sleeping";
    try {
      RuntimeSetups.check(engine, () -> get("/metrics").body(), "setup")
          .forEach(line -> System.out.println("ctr: " + line));
      List<String> names = new ArrayList<>(ids.keySet());
      assertThat(RuntimeSetups.profiled(get("/api/v1/profiles").body(), names))
          .as("capabilities in the profiles of containers whose programs asked for none")
          .isEmpty();
      String own =
          "container=\""
              + base.exporter().getName()
              + "\",namespace=\""
              + exporterPod.getMetadata().getNamespace()
              + "\",pod=\""
              + exporterPod.getMetadata().getName()
              + "\"";
      assertThat(RuntimeSetups.unexpected(RuntimeSetups.samples(get("/metrics").body()), own))
          .as("the exporter's own checks an alert fires on")
          .isEmpty();
    } finally {
      if (ids.containsKey(sleeper)) {
        containerd.ctr(
            Duration.ofMinutes(1), "tasks", "kill", "--signal", "SIGKILL", ids.get(sleeper));
        containerd.ctr(Duration.ofMinutes(1), "tasks", "delete", "--force", ids.get(sleeper));
        containerd.ctr(Duration.ofMinutes(1), "containers", "delete", ids.get(sleeper));
      }
    }
  }

  @Test
  @Order(5)
  void stopped_as_a_kubelet_stops_it_it_exits_0_and_leaves_no_program_attached() throws Exception {
    assertThat(stopExporter()).as(log()).isZero();
    long after = loadedPrograms(PROGRAM);
    for (int attempt = 0; attempt < 50 && after != programsBefore; attempt++) {
      Thread.sleep(100);
      after = loadedPrograms(PROGRAM);
    }
    assertThat(after).as("programs named " + PROGRAM + " still loaded").isEqualTo(programsBefore);
  }

  @Test
  @Order(6)
  void with_a_noexec_tmp_it_names_jnas_stub_and_the_fix() throws Exception {
    // /tmp as Docker's --tmpfs mounts it, in place of the DaemonSet's emptyDir.
    List<String> options = new ArrayList<>();
    for (int i = 0; i < run.options().size(); i++) {
      String option = run.options().get(i);
      if (option.equals("--mount") && run.options().get(i + 1).contains(",dst=/tmp,")) {
        options.addAll(
            List.of("--mount", "type=tmpfs,src=tmpfs,dst=/tmp,options=noexec:nosuid:nodev"));
        i++;
      } else {
        options.add(option);
      }
    }
    List<String> args = new ArrayList<>(List.of("run", "--rm"));
    args.addAll(containerd.runOptions());
    args.addAll(options);
    // Its cgroup under the test's own: ctr's default, /<namespace>/<id>, would outlive the test.
    String id = TestPods.containerId();
    args.addAll(
        List.of("--cgroup", cgroups.cgroupfs("besteffort", UUID.randomUUID().toString(), id)));
    args.addAll(List.of(property("e2e.image"), id));
    args.addAll(run.args());
    Command.Result result = containerd.ctr(Duration.ofMinutes(2), args.toArray(String[]::new));
    assertThat(result.status()).as(result.output()).isEqualTo(1);
    assertThat(result.output())
        .contains("cannot run: JNA cannot load its native stub libjnidispatch.so (/tmp/")
        .contains("JAVA_OPTS=-Djna.tmpdir=DIR")
        .doesNotContain("libbpf");
  }
}
