package io.capabilityexporter.attribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Names of Podman containers in a store elsewhere, from their conmon, in a /proc of the test's. */
class ConmonNamesTest {
  private static final String ID = "a".repeat(64);

  private static void process(Path proc, int pid, String comm, int uid, String... args)
      throws Exception {
    Path dir = Files.createDirectories(proc.resolve(Integer.toString(pid)));
    Files.writeString(dir.resolve("comm"), comm + "\n");
    Files.writeString(dir.resolve("status"), "Name:\t" + comm + "\nUid:\t" + uid + "\t0\t0\t0\n");
    Files.writeString(dir.resolve("cmdline"), String.join("\0", args) + "\0");
  }

  @Test
  void the_name_roots_conmon_was_started_with_for_that_container(@TempDir Path proc)
      throws Exception {
    process(proc, 10, "conmon", 0, "/usr/bin/conmon", "-c", "b".repeat(64), "-n", "other");
    process(
        proc,
        11,
        "conmon",
        0,
        "/usr/bin/conmon",
        "--api-version",
        "1",
        "-c",
        ID,
        "-u",
        ID,
        "-n",
        "nginx",
        "--exit-command-arg",
        "--root");
    assertThat(new ConmonNames(proc).name(ID)).contains("nginx");
  }

  @Test
  void a_conmon_of_another_user_or_another_program_is_not_believed(@TempDir Path proc)
      throws Exception {
    process(proc, 20, "conmon", 1000, "conmon", "-c", ID, "-n", "spoofed");
    process(proc, 21, "bash", 0, "bash", "-c", ID, "-n", "spoofed");
    assertThat(new ConmonNames(proc).name(ID)).isEmpty();
  }
}
