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
 * naming that, and the fix, rather than a libbpf that is installed.
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
   * file, or neither.
   */
  @ParameterizedTest
  @ValueSource(strings = {"", "--config", "--web.config.file"})
  void a_noexec_directory_for_jna_is_named_with_the_fix(String fileFlag) throws Exception {
    KernelTests.requireRoot();
    Path noexec = Files.createDirectory(dir.resolve("noexec"));
    mount(List.of("mount", "-t", "tmpfs", "-o", "noexec,size=16m", "tmpfs", noexec.toString()));
    try {
      List<String> command =
          new ArrayList<>(
              List.of(
                  System.getProperty("exporter.launcher", "../bin/capability-exporter"),
                  "run",
                  "--web.listen-address=127.0.0.1:0"));
      if (fileFlag.equals("--config")) {
        command.add("--config=" + Files.writeString(dir.resolve("policy.yaml"), "rules: []\n"));
      } else if (fileFlag.equals("--web.config.file")) {
        command.add(
            "--web.config.file="
                + Files.writeString(
                    dir.resolve("web.yml"), "http_server_config:\n  http2: true\n"));
      }
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
      builder.environment().put("JAVA_OPTS", "-Djna.tmpdir=" + noexec);
      Process process = builder.start();
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(process.exitValue()).as(output).isEqualTo(1);
      assertThat(output)
          .contains("cannot run: JNA cannot load its native stub libjnidispatch.so (" + noexec)
          .contains("mounted without noexec")
          .contains("JAVA_OPTS=-Djna.tmpdir=DIR")
          .doesNotContain("libbpf")
          .doesNotContain("UnsatisfiedLinkError");
    } finally {
      mount(List.of("umount", noexec.toString()));
    }
  }
}
