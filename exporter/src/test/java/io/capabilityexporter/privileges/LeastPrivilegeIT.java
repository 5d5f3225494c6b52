package io.capabilityexporter.privileges;

import static io.capabilityexporter.testing.KernelTests.loadedPrograms;
import static org.assertj.core.api.Assertions.assertThat;

import io.capabilityexporter.testing.KernelTests;
import io.capabilityexporter.testing.TestCgroup;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exporter started as root with every capability keeps none once it is serving, in every thread
 * (as /proc/PID/task/TID/status shows them to anyone who looks), and still does all its later work:
 * counts, check events and profiles, a policy reload, the detach at SIGTERM.
 */
class LeastPrivilegeIT {
  private static final Pattern SERVING =
      Pattern.compile("serving http://127\\.0\\.0\\.1:(\\d+)/metrics");
  private static final int CAP_SYS_CHROOT = 18;

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void as_root_every_thread_keeps_no_capability_and_the_work_goes_on(@TempDir Path dir)
      throws Exception {
    KernelTests.requireRoot();
    long programsBefore = loadedPrograms("cap_capable_tp");
    Path policy = dir.resolve("policy.yaml");
    Files.writeString(policy, "rules: []\n");
    Path profiles = dir.resolve("profiles.json");
    List<String> command =
        new ArrayList<>(
            List.of(
                System.getProperty("exporter.launcher", "../bin/capability-exporter"),
                "run",
                "--web.listen-address=127.0.0.1:0",
                "--config=" + policy,
                "--profiles.file=" + profiles));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder
        .environment()
        .keySet()
        .removeIf(
            name ->
                name.equals("KUBECONFIG")
                    || name.equals("KUBERNETES_SERVICE_HOST")
                    || name.startsWith("OTEL_"));
    Process process = builder.start();
    try (TestCgroup cgroup = TestCgroup.create("least-privilege")) {
      BufferedReader output =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      StringBuilder log = new StringBuilder();
      int port = -1;
      for (String line; port < 0 && (line = output.readLine()) != null; ) {
        log.append(line).append('\n');
        Matcher serving = SERVING.matcher(line);
        if (serving.find()) {
          port = Integer.parseInt(serving.group(1));
        }
      }
      assertThat(port).as(log.toString()).isPositive();
      assertThat(log)
          .contains("capabilities after start-up: kept none, dropped all")
          .containsPattern("in all \\d+ threads");

      List<Path> tasks;
      try (Stream<Path> listing = Files.list(Path.of("/proc/" + process.pid() + "/task"))) {
        tasks = listing.toList();
      }
      assertThat(tasks).hasSizeGreaterThan(5);
      for (Path task : tasks) {
        CapabilitySets sets = CapabilitySets.read(task.resolve("status"));
        assertThat(sets)
            .as("thread %s (%s)", task.getFileName(), Files.readString(task.resolve("comm")))
            .isEqualTo(new CapabilitySets(0, 0, 0, 0, 0, true));
      }

      // Counting, check events and profiles after the drop: 5 denied chroot(2) in a cgroup.
      assertThat(KernelTests.trigger(cgroup, CAP_SYS_CHROOT, "chroot", 5))
          .isEqualTo("0 allowed 5 denied");
      String name = cgroup.directory().getFileName().toString();
      String metrics = awaitBody(port, "/metrics", name);
      assertThat(metrics)
          .containsPattern(
              "capability_checks_total\\{capability=\"SYS_CHROOT\",container=\"[^\"]*"
                  + name
                  + "[^}]*verdict=\"deny\"} 5\\n");
      assertThat(awaitBody(port, "/api/v1/profiles", name)).contains("SYS_CHROOT");

      // The policy re-read on SIGHUP.
      Files.writeString(
          policy, "rules: [{containers: [" + name + "], capabilities: [SYS_CHROOT]}]\n");
      new ProcessBuilder("kill", "-HUP", Long.toString(process.pid())).start().waitFor();
      String reloaded = "capability_exporter_config_reloads_total{result=\"success\"} 1.0";
      assertThat(awaitBody(port, "/metrics", reloaded)).contains(reloaded);

      process.destroy(); // SIGTERM
      assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
      assertThat(process.exitValue()).isZero();
      long after = loadedPrograms("cap_capable_tp");
      for (int attempt = 0; attempt < 50 && after != programsBefore; attempt++) {
        Thread.sleep(100);
        after = loadedPrograms("cap_capable_tp");
      }
      assertThat(after).as("programs still loaded").isEqualTo(programsBefore);
      assertThat(Files.readString(profiles)).contains("SYS_CHROOT");
    } finally {
      process.destroyForcibly();
    }
  }

  /** The body of {@code path} once it contains {@code text}, or the last one after 15 s. */
  private String awaitBody(int port, String path, String text) throws Exception {
    String body = "";
    for (int attempt = 0; attempt < 150; attempt++) {
      body =
          http.send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      if (body.contains(text)) {
        return body;
      }
      Thread.sleep(100);
    }
    return body;
  }
}
