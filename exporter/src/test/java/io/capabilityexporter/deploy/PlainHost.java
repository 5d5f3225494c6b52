package io.capabilityexporter.deploy;

import static io.capabilityexporter.testing.KernelTests.loadedPrograms;
import static org.assertj.core.api.Assertions.assertThat;

import io.capabilityexporter.testing.Command;
import io.capabilityexporter.testing.Exposition;
import io.capabilityexporter.testing.KernelTest;
import io.capabilityexporter.testing.KernelTests;
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
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The image as a container of a plain host's engine, as the README's command for that engine runs
 * it: the host's network and pid namespace, a read-only root with an exec tmpfs at /tmp, the host's
 * cgroup tree and BTF, and the engine's list of containers for their names. A container named
 * "test" is then denied nice and ionice, and its series carry container="test", as {@code docker
 * ps} or {@code podman ps} shows it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@KernelTest
abstract class PlainHost {
  static final String EXPORTER = "capability-exporter-e2e";
  static final String WORKLOAD = "test";
  private static final Pattern SERVING =
      Pattern.compile("serving http://127\\.0\\.0\\.1:(\\d+)/metrics");
  private static final String PROGRAM = "cap_capable_tp";

  private final HttpClient http = HttpClient.newHttpClient();
  Path work;
  KubeletCgroups cgroups;

  /** The cgroup the engine runs in, its runtime with it (see {@link RuntimeSetups}). */
  Path engineCgroup;

  private int port;
  private long programsBefore;

  static String property(String name) {
    String value = System.getProperty(name);
    assertThat(value).as("-D%s (make e2e sets it)", name).isNotBlank();
    return value;
  }

  abstract ContainerEngine engine();

  /** Starts what the engine needs (a daemon, its images); undone by {@link #tearDown}. */
  abstract void setUp() throws Exception;

  abstract void tearDown() throws Exception;

  /** The exporter's privileges: capabilities and seccomp, as this engine can give them. */
  abstract List<String> privileges() throws Exception;

  /**
   * Whether the exporter's start-up, not only its serving, makes no check an alert fires on (its
   * capsets ask SETPCAP only to probe, Netty's reads of /proc/sys/net are noaudit NET_ADMIN
   * probes): not where the engine cannot grant CAP_BPF (Docker 20.10, SYS_ADMIN standing in for
   * it).
   */
  abstract boolean startUpMakesNoUnexpectedCheck() throws Exception;

  /** Whether the engine's command line mounts for an exec (podman's does, as root, itself). */
  abstract boolean cliMountsForAnExec();

  /** The engine's list of containers, mounted where the exporter reads names. */
  abstract List<String> names();

  /** Options every container of the test gets: its cgroup under the test's own, and so on. */
  abstract List<String> everyContainer();

  /** The exporter's container as the README runs it, but on a loopback port of the test's. */
  List<String> exporter(List<String> privileges) {
    List<String> args = new ArrayList<>(List.of("run", "--name", EXPORTER));
    args.addAll(everyContainer());
    args.addAll(List.of("--network", "host", "--pid", "host", "--read-only"));
    args.addAll(List.of("--tmpfs", "/tmp:rw,exec,nosuid,nodev,size=64m"));
    args.addAll(privileges);
    args.addAll(List.of("-v", "/sys/fs/cgroup:/sys/fs/cgroup:ro"));
    args.addAll(List.of("-v", "/sys/kernel/btf:/sys/kernel/btf:ro"));
    args.addAll(names());
    args.addAll(
        List.of(
            property("e2e.image"),
            "run",
            "--web.listen-address=127.0.0.1:" + port,
            "--profiles.file=/tmp/profiles.json"));
    return args;
  }

  @BeforeAll
  void start() throws Exception {
    KernelTests.requireRoot();
    work = Path.of(property("e2e.dir"));
    cgroups = new KubeletCgroups(work.getFileName().toString());
    engineCgroup = cgroups.engine();
    setUp();
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    programsBefore = loadedPrograms(PROGRAM);
    List<String> run = exporter(privileges());
    run.add(1, "--detach");
    engine().ok(run.toArray(String[]::new));
    awaitServing();
  }

  @AfterAll
  void stop() throws Exception {
    try {
      engine().run(List.of("rm", "--force", WORKLOAD));
      removeRuntimeSetups();
      engine().run(List.of("rm", "--force", EXPORTER));
    } finally {
      try {
        tearDown();
      } finally {
        cgroups.remove();
      }
    }
  }

  private String logs() throws Exception {
    return engine().run(List.of("logs", EXPORTER)).output();
  }

  private void awaitServing() throws Exception {
    Instant deadline = Instant.now().plusSeconds(120);
    while (Instant.now().isBefore(deadline)) {
      String logs = logs();
      Matcher serving = SERVING.matcher(logs);
      if (serving.find()) {
        assertThat(Integer.parseInt(serving.group(1))).isEqualTo(port);
        return;
      }
      String state = engine().ok("inspect", "--format", "{{.State.Status}}", EXPORTER);
      if (!state.equals("running") && !state.equals("created")) {
        throw new AssertionError("the exporter's container is " + state + ":\n" + logs);
      }
      Thread.sleep(300);
    }
    throw new AssertionError("no start-up line within 120 s:\n" + logs());
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(10))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The exporter's own checks an alert fires on, at its start. */
  private Map<String, Double> ownAtStart;

  private String own() {
    return "container=\"" + EXPORTER + "\",namespace=\"\",pod=\"\"";
  }

  @Test
  @Order(1)
  void serves_ready_and_keeps_no_capability() throws Exception {
    assertThat(get("/readyz").statusCode()).isEqualTo(200);
    String pid = engine().ok("inspect", "--format", "{{.State.Pid}}", EXPORTER);
    String capEff =
        Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream()
            .filter(line -> line.startsWith("CapEff:"))
            .findFirst()
            .orElseThrow()
            .substring("CapEff:".length())
            .strip();
    assertThat(new BigInteger(capEff, 16)).isEqualTo(BigInteger.ZERO);
    assertThat(logs()).contains("capabilities after start-up: kept none");
    String metrics = get("/metrics").body();
    assertThat(metrics)
        .contains(
            "capability_exporter_hook_attached{audit_known=\"true\",hook=\"tp_btf/cap_capable\"} 1");
    ownAtStart = RuntimeSetups.alerting(RuntimeSetups.samples(metrics), own());
    if (startUpMakesNoUnexpectedCheck()) {
      assertThat(ownAtStart).as("the exporter's own start-up, what an alert fires on").isEmpty();
    }
  }

  @Test
  @Order(2)
  void a_container_is_named_as_the_engine_shows_it() throws Exception {
    List<String> run = new ArrayList<>(List.of("run", "--detach", "--name", WORKLOAD));
    run.addAll(everyContainer());
    run.addAll(List.of("--network", "none", property("e2e.base"), "sh", "-c"));
    // Kept running a while: a container's name is read while the engine still lists it.
    run.add(Workloads.SCRIPT + " && sleep 300");
    engine().ok(run.toArray(String[]::new));
    assertThat(engine().ok("ps", "--filter", "name=^" + WORKLOAD + "$", "--format", "{{.Names}}"))
        .isEqualTo(WORKLOAD);
    for (Map.Entry<String, Double> denied : Workloads.DENIED.entrySet()) {
      String series = Exposition.checks(WORKLOAD, denied.getKey(), "deny", false);
      Instant deadline = Instant.now().plusSeconds(60);
      String metrics = get("/metrics").body();
      while (!metrics.contains(series + " ") && Instant.now().isBefore(deadline)) {
        Thread.sleep(500);
        metrics = get("/metrics").body();
      }
      assertThat(Exposition.value(metrics, series))
          .as(series + "\n" + metrics)
          .contains(denied.getValue());
    }
    engine().ok("rm", "--force", WORKLOAD);
  }

  private static final String SETUPS = "e2e-setup";

  private void removeRuntimeSetups() throws Exception {
    for (int i = 0; i < RuntimeSetups.CONTAINERS; i++) {
      engine().run(List.of("rm", "--force", SETUPS + "-true-" + i));
    }
    engine().run(List.of("rm", "--force", "--time", "0", SETUPS + "-sleeping"));
  }

  /**
   * Containers of {@code true} and execs into a running one, as the engine and its runc make them:
   * only the programs' checks are the containers' own, the runtime's are counted apart, and nothing
   * of the execs' setup lands where the engine runs. Nor does the exporter itself, serving, make
   * any check an alert fires on.
   */
  @Test
  @Order(3)
  void a_containers_setup_and_its_execs_setup_are_the_runtimes() throws Exception {
    List<String> options = new ArrayList<>(everyContainer());
    options.addAll(List.of("--network", "none"));
    RuntimeSetups.Engine engine =
        new RuntimeSetups.Engine() {
          @Override
          public void runTrue(String name) throws Exception {
            List<String> run = new ArrayList<>(List.of("run", "--name", name));
            run.addAll(options);
            run.addAll(List.of(property("e2e.base"), "true"));
            engine().ok(run.toArray(String[]::new));
          }

          @Override
          public void startSleeping(String name) throws Exception {
            List<String> run = new ArrayList<>(List.of("run", "--detach", "--name", name));
            run.addAll(options);
            run.addAll(List.of(property("e2e.base"), "sleep", "600"));
            engine().ok(run.toArray(String[]::new));
          }

          @Override
          public void execTrue(String name) throws Exception {
            engine().ok("exec", name, "true");
          }

          @Override
          public String labels(String name) {
            return "container=\"" + name + "\",namespace=\"\",pod=\"\"";
          }

          @Override
          public String engineLabels() {
            return "container=\"" + cgroups.engineLabel() + "\",namespace=\"\",pod=\"\"";
          }

          @Override
          public boolean cliMountsForAnExec() {
            return PlainHost.this.cliMountsForAnExec();
          }
        };
    try {
      RuntimeSetups.check(engine, () -> get("/metrics").body(), SETUPS)
          .forEach(line -> System.out.println(engine().cli().get(0) + ": " + line));
      List<String> names = new ArrayList<>();
      for (int i = 0; i < RuntimeSetups.CONTAINERS; i++) {
        names.add(SETUPS + "-true-" + i);
      }
      names.add(SETUPS + "-sleeping");
      assertThat(RuntimeSetups.profiled(get("/api/v1/profiles").body(), names))
          .as("capabilities in the profiles of containers whose programs asked for none")
          .isEmpty();
      assertThat(RuntimeSetups.alerting(RuntimeSetups.samples(get("/metrics").body()), own()))
          .as("the exporter's own checks an alert fires on, since it began serving")
          .isEqualTo(ownAtStart);
    } finally {
      removeRuntimeSetups();
    }
  }

  @Test
  @Order(4)
  void stopped_it_exits_0_and_leaves_no_program_attached() throws Exception {
    engine().ok("stop", "--time", "30", EXPORTER);
    assertThat(engine().ok("inspect", "--format", "{{.State.ExitCode}}", EXPORTER))
        .as(logs())
        .isEqualTo("0");
    long after = loadedPrograms(PROGRAM);
    for (int attempt = 0; attempt < 50 && after != programsBefore; attempt++) {
      Thread.sleep(100);
      after = loadedPrograms(PROGRAM);
    }
    assertThat(after).as("programs named " + PROGRAM + " still loaded").isEqualTo(programsBefore);
    engine().ok("rm", EXPORTER);
  }

  /** Runs the exporter's container to its end with these privileges instead: its output. */
  Command.Result runToEnd(List<String> privileges) throws Exception {
    List<String> run = exporter(privileges);
    run.add(1, "--rm");
    return engine().run(run);
  }
}
