package io.capabilityexporter.attribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Cgroup2MountTest {

  @TempDir Path dir;

  private Optional<Path> find(String mounts) throws Exception {
    return find(mounts.getBytes(StandardCharsets.UTF_8));
  }

  private Optional<Path> find(byte[] mounts) throws Exception {
    Path file = Files.write(dir.resolve("mounts"), mounts);
    return Cgroup2Mount.find(file);
  }

  @Test
  void a_mount_table_that_is_a_fifo_is_refused_at_once() throws Exception {
    Path fifo = dir.resolve("mounts");
    assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();

    assertTimeoutPreemptively(
        Duration.ofSeconds(10),
        () ->
            assertThatThrownBy(() -> Cgroup2Mount.find(fifo))
                .isInstanceOf(UncheckedIOException.class)
                .hasRootCauseMessage(
                    "mount table "
                        + fifo
                        + " is a FIFO, not a regular file: mount procfs at /proc"));
  }

  @Test
  void finds_unified_next_to_v1_controllers_on_a_hybrid_host() throws Exception {
    String hybrid =
        "sysfs /sys sysfs rw,nosuid,nodev,noexec,relatime 0 0\n"
            + "tmpfs /sys/fs/cgroup tmpfs rw,relatime,mode=755 0 0\n"
            + "cgroup /sys/fs/cgroup/cpu cgroup rw,relatime,cpu 0 0\n"
            + "cgroup /sys/fs/cgroup/systemd cgroup rw,relatime,name=systemd 0 0\n"
            + "cgroup2 /sys/fs/cgroup/unified cgroup2 rw,relatime 0 0\n";
    assertThat(find(hybrid)).contains(Path.of("/sys/fs/cgroup/unified"));
  }

  @Test
  void finds_sys_fs_cgroup_on_a_pure_v2_host() throws Exception {
    assertThat(find("cgroup2 /sys/fs/cgroup cgroup2 rw,nosuid,nodev,noexec,nsdelegate 0 0\n"))
        .contains(Path.of("/sys/fs/cgroup"));
  }

  @Test
  void finds_nothing_on_a_v1_only_host() throws Exception {
    assertThat(find("cgroup /sys/fs/cgroup/cpu cgroup rw,cpu 0 0\n")).isEmpty();
  }

  @Test
  void takes_the_first_cgroup2_mount() throws Exception {
    assertThat(find("none /a cgroup2 rw 0 0\nnone /b cgroup2 rw 0 0\n")).contains(Path.of("/a"));
  }

  @Test
  void decodes_octal_escapes_in_the_mount_point() throws Exception {
    assertThat(find("none /mnt/my\\040cgroups\\011x\\134y cgroup2 rw 0 0\n"))
        .contains(Path.of("/mnt/my cgroups\tx\\y"));
  }

  @Test
  void decodes_escaped_utf8_bytes() throws Exception {
    assertThat(find("none /mnt/\\303\\251t\\303\\251 cgroup2 rw 0 0\n"))
        .contains(Path.of("/mnt/été"));
  }

  @Test
  void keeps_invalid_escapes_as_they_are() throws Exception {
    assertThat(find("none /m\\9x\\40\\400\\ cgroup2 rw 0 0\n"))
        .contains(Path.of("/m\\9x\\40\\400\\"));
  }

  @Test
  void skips_hostile_and_malformed_lines_and_keeps_looking() throws Exception {
    String mounts =
        "\n"
            + "garbage\n"
            + "\\\n"
            + "a b\n"
            + "cgroup2 /not-the-type tmpfs rw 0 0\n"
            + "none relative/path cgroup2 rw 0 0\n"
            + "none /with\\000nul cgroup2 rw 0 0\n"
            + "none "
            + "/x".repeat(100_000)
            + " ext4 rw 0 0\n"
            + "none /good cgroup2 rw 0 0\n";
    assertThat(find(mounts)).contains(Path.of("/good"));
  }

  @Test
  void survives_bytes_that_are_not_utf8() throws Exception {
    byte[] mounts =
        "none /\u00ff\u00fe ext4 rw 0 0\nnone /ok cgroup2 rw 0 0\n"
            .getBytes(StandardCharsets.ISO_8859_1);
    assertThat(find(mounts)).contains(Path.of("/ok"));
  }

  @Test
  void says_which_file_it_could_not_read() {
    assertThatThrownBy(() -> Cgroup2Mount.find(dir.resolve("missing")))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("missing");
  }
}
