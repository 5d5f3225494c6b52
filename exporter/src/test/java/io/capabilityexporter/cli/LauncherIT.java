package io.capabilityexporter.cli;

import static io.capabilityexporter.testing.KernelTests.loadedPrograms;
import static org.assertj.core.api.Assertions.assertThat;

import io.capabilityexporter.testing.Exposition;
import io.capabilityexporter.testing.KernelTest;
import io.capabilityexporter.testing.KernelTests;
import io.capabilityexporter.testing.LaunchedExporter;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.RandomAccessFile;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bin/capability-exporter as a user starts it: real process, real HTTP, real kernel. */
class LauncherIT {
  private static final Pattern SERVING =
      Pattern.compile("serving http://127\\.0\\.0\\.1:(\\d+)/metrics");
  private final HttpClient http = HttpClient.newHttpClient();

  private static ProcessBuilder launcher(String... args) {
    List<String> command = new ArrayList<>();
    command.add(System.getProperty("exporter.launcher", "../bin/capability-exporter"));
    command.addAll(List.of(args));
    return new ProcessBuilder(command);
  }

  private static Result runToEnd(ProcessBuilder builder) throws Exception {
    Process process = builder.redirectErrorStream(true).start();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(String.join(" ", builder.command()) + " still ran after 60 s");
    }
    return new Result(
        process.exitValue(),
        new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
  }

  private record Result(int status, String output) {}

  private record Running(Process process, int port) {}

  /** Starts the exporter on a free port and waits for its start-up line. */
  private static Running start() throws Exception {
    Process process =
        launcher("run", "--web.listen-address=127.0.0.1:0").redirectErrorStream(true).start();
    BufferedReader output =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    for (String line; (line = output.readLine()) != null; ) {
      Matcher matcher = SERVING.matcher(line);
      if (matcher.find()) {
        assertThat(line).contains("counting capability checks with tp_btf/cap_capable");
        return new Running(process, Integer.parseInt(matcher.group(1)));
      }
    }
    throw new AssertionError("no start-up line; exit status " + process.waitFor());
  }

  /** Waits for the exporter to exit 0 and the kernel to free its program (after an RCU grace). */
  private static void assertStoppedAndDetached(Process process, long programsBefore)
      throws Exception {
    assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isZero();
    long after = loadedPrograms("cap_capable_tp");
    for (int attempt = 0; attempt < 50 && after != programsBefore; attempt++) {
      Thread.sleep(100);
      after = loadedPrograms("cap_capable_tp");
    }
    assertThat(after).as("programs named cap_capable_tp still loaded").isEqualTo(programsBefore);
  }

  private HttpResponse<String> get(int port, String path, String accept) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
    if (accept != null) {
      request.header("Accept", accept);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  @KernelTest
  void serves_ready_and_metrics_then_detaches_on_sigterm() throws Exception {
    KernelTests.requireRoot();
    long before = loadedPrograms("cap_capable_tp");
    Running exporter = start();
    int port = exporter.port();
    try {
      assertThat(loadedPrograms("cap_capable_tp")).isEqualTo(before + 1);

      assertThat(get(port, "/readyz", null).statusCode()).isEqualTo(200);
      assertThat(get(port, "/healthz", null).body()).isEqualTo("ok\n");
      HttpResponse<String> metrics = get(port, "/metrics", null);
      assertThat(metrics.headers().firstValue("Content-Type"))
          .hasValueSatisfying(type -> assertThat(type).startsWith("text/plain; version=0.0.4"));
      assertThat(metrics.body())
          .contains("# TYPE capability_checks_total counter")
          .contains("capability_checks_total{capability=\"SYS_ADMIN\"")
          .contains(
              "capability_exporter_hook_attached{audit_known=\"true\",hook=\"tp_btf/cap_capable\"} 1");
      HttpResponse<String> openMetrics =
          get(port, "/metrics", "application/openmetrics-text; version=1.0.0");
      assertThat(openMetrics.headers().firstValue("Content-Type"))
          .hasValueSatisfying(type -> assertThat(type).startsWith("application/openmetrics-text"));
      assertThat(openMetrics.body())
          .contains("# TYPE capability_checks counter")
          .endsWith("# EOF\n");
      assertThat(get(port, "/nope", null).statusCode()).isEqualTo(404);
      HttpRequest post =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
              .POST(HttpRequest.BodyPublishers.ofString("x"))
              .build();
      assertThat(http.send(post, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(405);

      exporter.process().destroy(); // SIGTERM
      assertStoppedAndDetached(exporter.process(), before);
    } finally {
      exporter.process().destroyForcibly();
    }
  }

  @Test
  @KernelTest
  void stops_on_sigint_with_status_0_and_detaches() throws Exception {
    KernelTests.requireRoot();
    long before = loadedPrograms("cap_capable_tp");
    Running exporter = start();
    try {
      new ProcessBuilder("kill", "-INT", Long.toString(exporter.process().pid())).start().waitFor();
      assertStoppedAndDetached(exporter.process(), before);
    } finally {
      exporter.process().destroyForcibly();
    }
  }

  @Test
  @KernelTest
  void trace_stops_on_sigint_with_status_0_and_detaches() throws Exception {
    KernelTests.requireRoot();
    long before = loadedPrograms("cap_capable_tp");
    Process trace = launcher("trace", "-o", "json").redirectErrorStream(true).start();
    try {
      BufferedReader output =
          new BufferedReader(new InputStreamReader(trace.getInputStream(), StandardCharsets.UTF_8));
      for (String line; (line = output.readLine()) != null && !line.contains("Ctrl-C to stop"); ) {
        // wait until it is tracing
      }
      assertThat(loadedPrograms("cap_capable_tp")).isEqualTo(before + 1);
      new ProcessBuilder("kill", "-INT", Long.toString(trace.pid())).start().waitFor();
      assertStoppedAndDetached(trace, before);
    } finally {
      trace.destroyForcibly();
    }
  }

  @Test
  void trace_names_a_bad_output_format_and_exits_2() throws Exception {
    Result result = runToEnd(launcher("trace", "-o", "yaml"));
    assertThat(result.status()).isEqualTo(2);
    assertThat(result.output()).contains("-o yaml is not an output format");
  }

  @Test
  void names_an_unknown_flag_and_exits_2() throws Exception {
    Result result = runToEnd(launcher("run", "--web.listen-adress=:1"));
    assertThat(result.status()).isEqualTo(2);
    assertThat(result.output())
        .contains("unknown flag --web.listen-adress (did you mean --web.listen-address?)");
  }

  @Test
  void names_a_bad_listen_address_and_exits_2() throws Exception {
    Result result = runToEnd(launcher("--web.listen-address=localhost"));
    assertThat(result.status()).isEqualTo(2);
    assertThat(result.output())
        .contains("--web.listen-address=localhost is invalid: it has no port");
  }

  @Test
  void names_a_bad_map_size_and_exits_2() throws Exception {
    Result result = runToEnd(launcher("run", "--bpf.counts-max-entries=0"));
    assertThat(result.status()).isEqualTo(2);
    assertThat(result.output()).contains("--bpf.counts-max-entries=0 is not a whole number");
  }

  @Test
  void a_bad_policy_file_exits_2_naming_the_line_and_the_field(@TempDir Path dir) throws Exception {
    Path policy =
        Files.writeString(
            dir.resolve("policy.yaml"),
            """
            rules:
              - name: cni
                capabilities: [NET_ADMIN, CAP_SYS_ADMN]
            """);
    Result result = runToEnd(launcher("run", "--config=" + policy));
    assertThat(result.status()).isEqualTo(2);
    assertThat(result.output())
        .contains(
            policy
                + ":3: rules[0].capabilities[1]: \"CAP_SYS_ADMN\" is not a capability (did you"
                + " mean SYS_ADMIN?)");
  }

  @Test
  void a_fifo_as_the_policy_file_exits_2_at_once_naming_the_fault(@TempDir Path dir)
      throws Exception {
    Path fifo = dir.resolve("policy.yaml");
    assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
    long start = System.nanoTime();

    Result result = runToEnd(launcher("run", "--config=" + fifo));

    assertThat(result.status()).as(result.output()).isEqualTo(2);
    assertThat(result.output())
        .contains(
            "policy file "
                + fifo
                + " is a FIFO, not a regular file: point --config at a regular file of at most 1"
                + " MiB");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
  }

  @Test
  @KernelTest
  void sighup_keeps_the_policy_when_a_fifo_or_a_huge_file_takes_its_place(@TempDir Path dir)
      throws Exception {
    KernelTests.requireRoot();
    Path policy = Files.writeString(dir.resolve("policy.yaml"), "rules: []\n");
    try (LaunchedExporter exporter = LaunchedExporter.start(dir, "--config=" + policy)) {
      Path fifo = dir.resolve("policy.fifo");
      assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
      Files.move(fifo, policy, StandardCopyOption.REPLACE_EXISTING);
      exporter.hangup();
      double failures = awaitFailuresAbove(exporter, 0);

      Path huge = dir.resolve("policy.huge");
      try (RandomAccessFile sparse = new RandomAccessFile(huge.toFile(), "rw")) {
        sparse.setLength(200L << 20);
      }
      Files.move(huge, policy, StandardCopyOption.REPLACE_EXISTING);
      exporter.hangup();
      awaitFailuresAbove(exporter, failures);
      assertThat(metric(exporter, "capability_exporter_config_last_reload_successful"))
          .isEqualTo(0.0);

      Path good = Files.writeString(dir.resolve("policy.good"), "rules: []\n");
      Files.move(good, policy, StandardCopyOption.REPLACE_EXISTING);
      exporter.hangup();
      for (int attempt = 0;
          attempt < 100
              && metric(exporter, "capability_exporter_config_last_reload_successful") != 1.0;
          attempt++) {
        Thread.sleep(100);
      }
      assertThat(metric(exporter, "capability_exporter_config_last_reload_successful"))
          .isEqualTo(1.0);
      assertThat(exporter.isAlive()).isTrue();
      assertThat(exporter.log())
          .contains(
              "policy file "
                  + policy
                  + " is a FIFO, not a regular file: point --config at a regular file of at most 1"
                  + " MiB; the previous policy stays in force")
          .contains("policy file " + policy + " is larger than 1 MiB");
    }
  }

  private static double metric(LaunchedExporter exporter, String series) throws Exception {
    return Exposition.value(exporter.metrics(), series)
        .orElseThrow(() -> new AssertionError(series + " missing"));
  }

  private static double awaitFailuresAbove(LaunchedExporter exporter, double before)
      throws Exception {
    String failures = "capability_exporter_config_reloads_total{result=\"failure\"}";
    for (int attempt = 0; attempt < 100 && metric(exporter, failures) <= before; attempt++) {
      Thread.sleep(100);
    }
    assertThat(metric(exporter, failures)).as(exporter.log()).isGreaterThan(before);
    return metric(exporter, failures);
  }

  @Test
  void a_bad_web_config_exits_2_before_loading_anything(@TempDir Path dir) throws Exception {
    Path web =
        Files.writeString(
            dir.resolve("web.yml"),
            "tls_server_config:\n  cert_file: tls.crt\n  key_file: tls.key\n");
    Result result = runToEnd(launcher("run", "--web.config.file=" + web));
    assertThat(result.status()).isEqualTo(2);
    assertThat(result.output())
        .contains(
            "capability-exporter: --web.config.file: "
                + web
                + ":2: tls_server_config.cert_file: "
                + dir.resolve("tls.crt")
                + ": no such file");
  }

  @Test
  void names_an_unknown_command_and_exits_2() throws Exception {
    Result result = runToEnd(launcher("tarce"));
    assertThat(result.status()).isEqualTo(2);
    assertThat(result.output()).contains("unknown command 'tarce' (did you mean trace?)");
  }

  @Test
  @KernelTest
  void a_listen_address_in_use_exits_2_naming_it() throws Exception {
    KernelTests.requireRoot();
    try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      Result result =
          runToEnd(launcher("run", "--web.listen-address=127.0.0.1:" + taken.getLocalPort()));
      assertThat(result.status()).isEqualTo(2);
      assertThat(result.output())
          .contains("--web.listen-address=127.0.0.1:" + taken.getLocalPort() + ": cannot listen");
    }
  }

  @Test
  @KernelTest
  void without_privileges_exits_1_saying_what_is_needed() throws Exception {
    KernelTests.requireRoot();
    List<String> command =
        new ArrayList<>(
            List.of(
                "setpriv",
                "--reuid=65534",
                "--regid=65534",
                "--clear-groups",
                "--inh-caps=-all",
                "--bounding-set=-all"));
    command.addAll(launcher("run", "--web.listen-address=127.0.0.1:0").command());
    Result result = runToEnd(new ProcessBuilder(command));
    assertThat(result.status()).as(result.output()).isEqualTo(1);
    assertThat(result.output()).contains("not allowed to load BPF programs: run as root");
  }
}
