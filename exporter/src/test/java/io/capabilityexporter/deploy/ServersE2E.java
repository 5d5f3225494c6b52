package io.capabilityexporter.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.capabilityexporter.testing.KernelTest;
import io.capabilityexporter.testing.KernelTests;
import io.capabilityexporter.testing.LaunchedExporter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The profiles' promise, on real servers nobody here wrote: Debian's nginx, Redis, PostgreSQL,
 * memcached, cron and rsyslog (e2e/servers-image.sh), each run as a Podman container with the
 * runtime's default capabilities and exercised by a real client inside it (e2e/servers/*.sh), then
 * stopped; the exporter, on the host, records its profile. Then each runs again with exactly the
 * recommended {@code --cap-drop=ALL --cap-add=...}: it starts, answers the same request and stops
 * within its stop timeout. The recommendation must be the smallest set that does, found by hand
 * (docs/profiles.md).
 */
@KernelTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ServersE2E {
  private static final Path SCRIPTS = Path.of("../e2e/servers").toAbsolutePath().normalize();
  private static final int STOP_SECONDS = 20;
  private static final int KILLED = 137;

  /** A server, and the least capabilities it runs with, found by taking each away by hand. */
  record Server(String name, Set<String> least) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Server> servers() {
    return Stream.of(
        new Server(
            "nginx", Set.of("CHOWN", "DAC_OVERRIDE", "NET_BIND_SERVICE", "SETGID", "SETUID")),
        new Server("redis", Set.of("CHOWN", "DAC_OVERRIDE", "SETGID", "SETUID")),
        // DAC_OVERRIDE: the entrypoint, as root, makes the data directory in postgres's home.
        new Server("postgresql", Set.of("CHOWN", "DAC_OVERRIDE", "SETGID", "SETUID")),
        new Server("memcached", Set.of("SETGID", "SETUID")),
        new Server("cron", Set.of("SETGID", "SETUID")),
        new Server("rsyslog", Set.of("CHOWN")));
  }

  private PodmanStore podman;
  private LaunchedExporter exporter;
  private final List<String> report = new ArrayList<>();

  private static String property(String name) {
    String value = System.getProperty(name);
    assertThat(value).as("-D%s (make e2e sets it)", name).isNotBlank();
    return value;
  }

  /** The kernel's bpf_stats as found, restored at the end: on for the suite's cost figures. */
  private static final Path BPF_STATS = Path.of("/proc/sys/kernel/bpf_stats_enabled");

  private String bpfStatsBefore;
  private Instant started;
  private long cpuTicksAtStart;

  @BeforeAll
  void start() throws Exception {
    KernelTests.requireRoot();
    bpfStatsBefore = Files.readString(BPF_STATS).strip();
    Files.writeString(BPF_STATS, "1");
    Path work = Path.of(property("e2e.dir"));
    podman = new PodmanStore(property("e2e.podman"));
    Map<String, String> plainHost = new HashMap<>();
    plainHost.put("KUBECONFIG", null);
    plainHost.put("KUBERNETES_SERVICE_HOST", null);
    plainHost.put("OTEL_EXPORTER_OTLP_ENDPOINT", null);
    Path profiles = work.resolve("servers-profiles.json");
    Files.deleteIfExists(profiles); // a profile from an earlier run would add to this one's
    exporter = LaunchedExporter.start(work, plainHost, "--profiles.file=" + profiles);
    started = Instant.now();
    cpuTicksAtStart = cpuTicks(exporter.pid());
  }

  /** The process's user and system CPU so far, in clock ticks (proc(5), fields 14 and 15). */
  private static long cpuTicks(long pid) throws Exception {
    String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
  }

  /**
   * What watching the suite cost this node, as the exporter's own metrics and /proc say it: the
   * capability checks a second, the ns its programs took per check, and the CPU of its programs and
   * of its process (bench/RESULTS.md records a run's line).
   */
  private String cost() throws Exception {
    double seconds = java.time.Duration.between(started, Instant.now()).toMillis() / 1000.0;
    String metrics = exporter.metrics();
    double checks =
        io.capabilityexporter.testing.Exposition.value(
                metrics, "capability_exporter_bpf_program_runs_total{program=\"cap_capable_tp\"}")
            .orElse(0.0);
    double checkSeconds =
        io.capabilityexporter.testing.Exposition.value(
                metrics,
                "capability_exporter_bpf_program_run_seconds_total{program=\"cap_capable_tp\"}")
            .orElse(0.0);
    double programSeconds = 0;
    for (String line : metrics.split("\n")) {
      if (line.startsWith("capability_exporter_bpf_program_run_seconds_total{")) {
        programSeconds += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    double processSeconds = (cpuTicks(exporter.pid()) - cpuTicksAtStart) / 100.0; // USER_HZ
    return String.format(
        java.util.Locale.ROOT,
        "cost: %.0f s, %.0f checks (%.0f/s), %.0f ns a check in the counting program; BPF programs"
            + " %.3f s of CPU (%.3f %% of one), the exporter's process %.1f s (%.2f %% of one)",
        seconds,
        checks,
        checks / seconds,
        checks == 0 ? 0 : checkSeconds * 1e9 / checks,
        programSeconds,
        100 * programSeconds / seconds,
        processSeconds,
        100 * processSeconds / seconds);
  }

  @AfterAll
  void stop() throws Exception {
    try {
      if (exporter != null && started != null) {
        try {
          report.add(cost());
        } catch (Exception e) {
          // The figures are a measurement, not what this suite asserts: say why they are missing.
          String log = exporter.log();
          report.add(
              "cost: not measured: "
                  + e
                  + "; the exporter's log ends:\n"
                  + log.substring(Math.max(0, log.length() - 3000)));
        }
      }
      report.forEach(line -> System.out.println("servers: " + line));
      if (exporter != null) {
        exporter.close();
      }
    } finally {
      if (bpfStatsBefore != null) {
        Files.writeString(BPF_STATS, bpfStatsBefore);
      }
    }
  }

  /** {@code podman run -d} of the server's start script, with these capability options. */
  private void run(String container, String server, List<String> capabilities) throws Exception {
    // A run interrupted before its clean-up leaves the name taken in the store make e2e reuses.
    podman.run(List.of("rm", "--force", "--time", "0", "--ignore", container));
    List<String> args =
        new ArrayList<>(
            List.of(
                "run",
                "--detach",
                "--name",
                container,
                "--network",
                "none",
                "--ulimit",
                "nofile=4096:4096",
                "--ulimit",
                "nproc=4096:4096",
                "-v",
                SCRIPTS + ":/e2e:ro"));
    args.addAll(capabilities);
    args.addAll(List.of(property("e2e.servers"), "/e2e/" + server + ".sh", "start"));
    podman.ok(args.toArray(String[]::new));
  }

  /** Whether the client inside answers within 90 s (cron's job runs on the minute). */
  private boolean serves(String container, String server) throws Exception {
    Instant deadline = Instant.now().plusSeconds(90);
    while (Instant.now().isBefore(deadline)) {
      if (podman.run(List.of("exec", container, "/e2e/" + server + ".sh", "probe")).status() == 0) {
        return true;
      }
      if (!podman.ok("inspect", "--format", "{{.State.Status}}", container).equals("running")) {
        return false;
      }
      Thread.sleep(500);
    }
    return false;
  }

  /** Stops it as an orchestrator does: its exit status, 137 when SIGKILL had to end it. */
  private int stopped(String container) throws Exception {
    podman.run(List.of("stop", "--time", Integer.toString(STOP_SECONDS), container));
    return Integer.parseInt(podman.ok("inspect", "--format", "{{.State.ExitCode}}", container));
  }

  /** The container's profile once the exporter saw it stop; its JSON. */
  private JsonNode profile(String container) throws Exception {
    Instant deadline = Instant.now().plusSeconds(60);
    while (Instant.now().isBefore(deadline)) {
      Optional<JsonNode> found = containerIn(exporter.get("/api/v1/profiles"), container);
      if (found.isPresent() && found.get().path("lifecycle").path("stops").asLong() > 0) {
        Thread.sleep(1500); // the repeats of the last window, and its held denies
        return containerIn(exporter.get("/api/v1/profiles"), container).orElseThrow();
      }
      Thread.sleep(500);
    }
    throw new AssertionError(
        "no profile of " + container + " seen to stop:\n" + exporter.get("/api/v1/profiles"));
  }

  private static Optional<JsonNode> containerIn(String json, String container) throws Exception {
    for (JsonNode workload : new ObjectMapper().readTree(json).path("workloads")) {
      for (JsonNode node : workload.path("containers")) {
        if (node.path("name").asText().equals(container)) {
          // The workload is the container's name under its engine: its -o yaml says podman run.
          assertThat(workload.path("kind").asText()).isEqualTo("PodmanContainer");
          return Optional.of(node);
        }
      }
    }
    return Optional.empty();
  }

  private static TreeSet<String> recommended(JsonNode container) {
    TreeSet<String> add = new TreeSet<>();
    container
        .path("recommendation")
        .path("securityContext")
        .path("capabilities")
        .path("add")
        .forEach(capability -> add.add(capability.asText()));
    return add;
  }

  private static List<String> exactly(Set<String> capabilities) {
    List<String> options = new ArrayList<>(List.of("--cap-drop=ALL"));
    capabilities.forEach(capability -> options.add("--cap-add=" + capability));
    return options;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("servers")
  @Order(1)
  void the_recommendation_is_the_least_the_server_runs_with(Server server) throws Exception {
    String recorded = "e2e-" + server.name();
    String applied = recorded + "-least";
    try {
      run(recorded, server.name(), List.of());
      assertThat(serves(recorded, server.name()))
          .as("%s serves with the default capabilities:\n%s", server, logs(recorded))
          .isTrue();
      assertThat(stopped(recorded)).as("%s stops on SIGTERM", server).isNotEqualTo(KILLED);
      JsonNode profile = profile(recorded);
      TreeSet<String> add = recommended(profile);
      JsonNode lifecycle = profile.path("lifecycle");
      assertThat(List.of(lifecycle.path("starts").asLong(), lifecycle.path("stops").asLong()))
          .as("one run, seen to start and stop: %s", lifecycle)
          .containsExactly(1L, 1L);

      run(applied, server.name(), exactly(add));
      boolean works = serves(applied, server.name());
      int status = stopped(applied);
      report.add(
          server.name()
              + " | "
              + String.join(", ", add)
              + " | "
              + (works && status != KILLED ? "yes" : "no")
              + " | coped: "
              + profile.path("recommendation").path("coped")
              + ", by design: "
              + profile.path("recommendation").path("byDesign"));
      assertThat(works).as("%s with exactly %s serves:\n%s", server, add, logs(applied)).isTrue();
      assertThat(status)
          .as("%s with exactly %s stops on SIGTERM", server, add)
          .isNotEqualTo(KILLED);
      // What made each check (comms, syscalls), so that a wrong one says whose it was.
      assertThat(add)
          .as("%s: the least it runs with; its checks: %s", server, profile.path("capabilities"))
          .isEqualTo(server.least());
    } finally {
      podman.run(List.of("rm", "--force", "--time", "0", recorded));
      podman.run(List.of("rm", "--force", "--time", "0", applied));
    }
  }

  /**
   * nginx without NET_BIND_SERVICE cannot listen on port 80 and exits: its profile says it was cut
   * short by that deny, and adds the capability, to record again with.
   */
  @Test
  @Order(2)
  void a_server_a_deny_stops_at_start_is_shown_cut_short() throws Exception {
    String container = "e2e-nginx-short";
    try {
      run(container, "nginx", List.of("--cap-drop=NET_BIND_SERVICE"));
      Instant deadline = Instant.now().plusSeconds(30);
      while (podman.ok("inspect", "--format", "{{.State.Status}}", container).equals("running")
          && Instant.now().isBefore(deadline)) {
        Thread.sleep(200);
      }
      JsonNode profile = profile(container);
      assertThat(profile.path("cutShort").asBoolean()).as(profile.toString()).isTrue();
      assertThat(recommended(profile)).contains("NET_BIND_SERVICE");
      assertThat(profile.path("recommendation").path("denied").toString())
          .contains("NET_BIND_SERVICE");
      report.add("nginx without NET_BIND_SERVICE: cut short, recommended " + recommended(profile));
    } finally {
      podman.run(List.of("rm", "--force", "--time", "0", container));
    }
  }

  private String logs(String container) throws Exception {
    return podman.run(List.of("logs", container)).output();
  }
}
