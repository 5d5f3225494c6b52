package io.capabilityexporter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.capabilityexporter.testing.Command;
import io.capabilityexporter.testing.KernelTest;
import io.capabilityexporter.testing.KernelTests;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * JNA unpacks its native stub where it may not execute it (a /tmp mounted noexec, as Docker's
 * --tmpfs mounts it; here -Djna.tmpdir on a noexec tmpfs of the test's own): the exporter exits 1
 * naming that, and the fix, rather than a libbpf that is installed or a Java stack trace.
 */
@KernelTest
class NoexecTmpIT {
  @TempDir Path dir;

  private static void mount(List<String> command) throws Exception {
    Command.Result result =
        Command.run(Path.of("/"), Duration.ofSeconds(30), "util-linux's mount", command);
    assertThat(result.status()).as(result.output()).isZero();
  }

  /**
   * Whatever reads a file first (the files are opened through JNA): the policy file, the web config
   * file, or neither; {@code trace}; and {@code profile}, which reads a file and nothing else.
   */
  @ParameterizedTest
  @ValueSource(strings = {"run", "run --config", "run --web.config.file", "trace", "profile"})
  void a_noexec_directory_for_jna_is_named_with_the_fix(String command) throws Exception {
    KernelTests.requireRoot();
    List<String> args = new ArrayList<>();
    args.add(System.getProperty("exporter.launcher", "../bin/capability-exporter"));
    switch (command) {
      case "run" -> args.addAll(List.of("run", "--web.listen-address=127.0.0.1:0"));
      case "run --config" ->
          args.addAll(
              List.of(
                  "run",
                  "--web.listen-address=127.0.0.1:0",
                  "--config=" + Files.writeString(dir.resolve("policy.yaml"), "rules: []\n")));
      case "run --web.config.file" ->
          args.addAll(
              List.of(
                  "run",
                  "--web.listen-address=127.0.0.1:0",
                  "--web.config.file="
                      + Files.writeString(
                          dir.resolve("web.yml"), "http_server_config:\n  http2: true\n")));
      case "trace" -> args.addAll(List.of("trace", "--timeout=1s"));
      case "profile" -> args.addAll(List.of("profile", "--file=" + dir.resolve("profiles.json")));
      default -> throw new IllegalArgumentException(command);
    }
    Path noexec = Files.createDirectory(dir.resolve("noexec"));
    mount(List.of("mount", "-t", "tmpfs", "-o", "noexec,size=16m", "tmpfs", noexec.toString()));
    try {
      ProcessBuilder builder = new ProcessBuilder(args).redirectErrorStream(true);
      builder.environment().put("JAVA_OPTS", "-Djna.tmpdir=" + noexec);
      Process process = builder.start();
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(process.exitValue()).as(output).isEqualTo(1);
      assertThat(output)
          .contains(
              failure(command) + "JNA cannot load its native stub libjnidispatch.so (" + noexec)
          .contains("mounted without noexec")
          .contains("JAVA_OPTS=-Djna.tmpdir=DIR")
          .doesNotContain("libbpf")
          .doesNotContain("UnsatisfiedLinkError");
    } finally {
      mount(List.of("umount", noexec.toString()));
    }
  }

  /** What the command says it could not do, before why. */
  private String failure(String command) {
    if (command.startsWith("run")) {
      return "cannot run: ";
    }
    return command.equals("trace")
        ? "cannot trace: "
        : "cannot read " + dir.resolve("profiles.json") + ": ";
  }
}
