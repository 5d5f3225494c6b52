package io.capabilityexporter.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.capabilityexporter.capabilities.Capability;
import io.capabilityexporter.testing.Exposition;
import io.capabilityexporter.testing.KernelTest;
import io.capabilityexporter.testing.KernelTests;
import io.capabilityexporter.testing.TestCgroup;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packaged exporter with exactly the capabilities deploy/manifests/daemonset.yaml adds, as uid
 * 0, the way a container runtime starts it: enough for a ready exporter that knows the audit flag,
 * and none of them is one too many.
 */
class DaemonSetOnThisKernelIT {
  private static final Pattern SERVING =
      Pattern.compile("serving http://127\\.0\\.0\\.1:(\\d+)/metrics");
  private static final String AUDIT_KNOWN =
      "capability_exporter_hook_attached{audit_known=\"true\",hook=\"tp_btf/cap_capable\"} 1";
  private static final String AUDIT_UNKNOWN =
      "capability_exporter_hook_attached{audit_known=\"false\"";

  private static List<String> capabilities;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void render() throws Exception {
    capabilities = Deploy.base().exporter().getSecurityContext().getCapabilities().getAdd();
  }

  /** What the exporter did with these capabilities: ran (port, metrics) or exited (status). */
  private record Outcome(
      Integer status, String output, int readyz, String metrics, BigInteger caps) {}

  /**
   * Starts the launcher under {@code setpriv}, uid 0 with only {@code caps} in its bounding set (so
   * in its permitted and effective sets), the way runc starts a container's root process; asks
   * /readyz and /metrics if it comes up, then stops it with SIGTERM.
   */
  private Outcome runWith(List<String> caps) throws Exception {
    return runWith(caps, () -> {});
  }

  /** A step run while the exporter serves, before its /metrics is asked. */
  private interface WhileServing {
    void run() throws Exception;
  }

  private Outcome runWith(List<String> caps, WhileServing whileServing) throws Exception {
    StringBuilder set = new StringBuilder("-all");
    caps.forEach(cap -> set.append(",+").append(cap.toLowerCase(Locale.ROOT)));
    List<String> command =
        new ArrayList<>(List.of("setpriv", "--bounding-set=" + set, "--inh-caps=-all"));
    command.add(System.getProperty("exporter.launcher", "../bin/capability-exporter"));
    command.addAll(List.of("run", "--web.listen-address=127.0.0.1:0"));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    // No API server here: the exporter runs as on a plain host. No OTLP endpoint either.
    builder
        .environment()
        .keySet()
        .removeIf(
            name ->
                name.equals("KUBECONFIG")
                    || name.equals("KUBERNETES_SERVICE_HOST")
                    || name.startsWith("OTEL_"));
    Process process = builder.start();
    try {
      BufferedReader reader =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      StringBuilder output = new StringBuilder();
      for (String line; (line = reader.readLine()) != null; ) {
        output.append(line).append('\n');
        Matcher serving = SERVING.matcher(line);
        if (serving.find()) {
          int port = Integer.parseInt(serving.group(1));
          BigInteger effective = effective(process.pid());
          int readyz = get(port, "/readyz").statusCode();
          whileServing.run();
          String metrics = get(port, "/metrics").body();
          process.destroy(); // SIGTERM
          assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
          assertThat(process.exitValue()).as(output.toString()).isZero();
          return new Outcome(null, output.toString(), readyz, metrics, effective);
        }
      }
      assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
      return new Outcome(process.exitValue(), output.toString(), 0, "", null);
    } finally {
      process.destroyForcibly();
    }
  }

  /** CapEff of a process: setpriv execs the launcher, which execs java, in the same pid. */
  private static BigInteger effective(long pid) throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith("CapEff:")) {
        return new BigInteger(line.substring("CapEff:".length()).strip(), 16);
      }
    }
    throw new AssertionError("no CapEff for " + pid);
  }

  private static BigInteger mask(List<String> caps) {
    BigInteger mask = BigInteger.ZERO;
    for (String cap : caps) {
      mask = mask.setBit(Capability.number(cap).orElseThrow());
    }
    return mask;
  }

  private static String hookLine(String metrics) {
    return metrics
        .lines()
        .filter(line -> line.startsWith("capability_exporter_hook_attached{"))
        .findFirst()
        .orElse("(no capability_exporter_hook_attached)");
  }

  private HttpResponse<String> get(int port, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  @KernelTest
  void the_daemonsets_capabilities_make_a_ready_exporter_that_knows_the_audit_flag()
      throws Exception {
    KernelTests.requireRoot();
    assertThat(capabilities).isNotEmpty();
    try (TestCgroup cgroup = TestCgroup.create("daemonset-caps")) {
      // Audited SYS_ADMIN checks (swapoff) and noaudit ones (every exec's and mmap's), after
      // start: the audit flag is told right with the DaemonSet's capabilities, whatever the
      // frame layout the program learned from the exporter's own first checks.
      Outcome outcome =
          runWith(capabilities, () -> KernelTests.trigger(cgroup, null, "swapoff", 3));
      assertThat(outcome.status()).as(outcome.output()).isNull();
      String audited = Exposition.checks(cgroup.label(), "SYS_ADMIN", "allow", false);
      assertThat(Exposition.value(outcome.metrics(), audited))
          .as("the audited SYS_ADMIN checks, no more")
          .contains(3.0);
      assertThat(
              Exposition.value(
                  outcome.metrics(), Exposition.checks(cgroup.label(), "SYS_ADMIN", "allow", true)))
          .as("the noaudit probes of the trigger's exec")
          .isPresent();
      theDaemonSetsCapabilitiesSuffice(outcome);
    }
  }

  private static void theDaemonSetsCapabilitiesSuffice(Outcome outcome) {
    // They were its capabilities at start (the exporter lists what it dropped), and none stays
    // once it serves: on this kernel the bpf() calls on the maps held need none.
    assertThat(outcome.output())
        .contains(
            "kept none, dropped "
                + String.join(", ", Capability.namesOf(mask(capabilities).longValueExact())));
    assertThat(outcome.caps()).as("CapEff once serving").isEqualTo(BigInteger.ZERO);
    assertThat(outcome.readyz()).isEqualTo(200);
    assertThat(hookLine(outcome.metrics())).startsWith(AUDIT_KNOWN);
  }

  @Test
  @KernelTest
  void without_any_one_of_them_the_exporter_does_not_run_or_loses_the_audit_flag()
      throws Exception {
    KernelTests.requireRoot();
    for (String dropped : capabilities) {
      List<String> fewer = new ArrayList<>(capabilities);
      fewer.remove(dropped);
      Outcome outcome = runWith(fewer);
      if (outcome.status() != null) {
        assertThat(outcome.status())
            .as("without " + dropped + ": " + outcome.output())
            .isEqualTo(1);
        assertThat(outcome.output()).contains("not allowed to load BPF programs");
      } else {
        assertThat(hookLine(outcome.metrics()))
            .as(
                "without %s the exporter still runs and knows the audit flag: %s is not needed",
                dropped, dropped)
            .startsWith(AUDIT_UNKNOWN);
      }
    }
  }

  @Test
  void the_image_copies_files_the_build_made() throws Exception {
    Dockerfile dockerfile = Dockerfile.read();
    List<Dockerfile.Copy> fromBuild =
        dockerfile.copies().stream().filter(copy -> copy.from() != null).toList();
    assertThat(fromBuild).isNotEmpty();
    for (Dockerfile.Copy copy : fromBuild) {
      for (String source : copy.sources()) {
        assertThat(dockerfile.inRepository(copy.from(), source))
            .as("COPY --from " + source)
            .isRegularFile();
      }
    }
    // --build-arg JAR=prebuilt: the stage copies them from the build context, where they now are.
    List<Dockerfile.Copy> prebuilt =
        dockerfile.copies().stream().filter(copy -> copy.stage().equals("prebuilt")).toList();
    assertThat(prebuilt).isNotEmpty();
    for (Dockerfile.Copy copy : prebuilt) {
      for (String source : copy.sources()) {
        assertThat(Deploy.ROOT.resolve(source)).as("COPY " + source).isRegularFile();
      }
    }
  }
}
