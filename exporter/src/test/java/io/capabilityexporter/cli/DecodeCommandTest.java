package io.capabilityexporter.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DecodeCommandTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private DecodeCommand decode(Path proc) {
    return new DecodeCommand(
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8),
        proc);
  }

  private String decoded(String... args) throws Exception {
    assertThat(decode(Path.of("/proc")).run(List.of(args))).isZero();
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void dockers_default_set_is_its_fourteen_capabilities() throws Exception {
    assertThat(decoded("00000000a80425fb"))
        .isEqualTo(
            """
            0x00000000a80425fb: 14 capabilities
               0  CHOWN              0x0000000000000001  change the owner and group of any file (chown)
               1  DAC_OVERRIDE       0x0000000000000002  bypass file read, write and execute permission checks
               3  FOWNER             0x0000000000000008  bypass checks that need the caller to own the file (chmod, utime...)
               4  FSETID             0x0000000000000010  keep set-user-ID and set-group-ID bits when a file is modified
               5  KILL               0x0000000000000020  send signals to any process
               6  SETGID             0x0000000000000040  set any group ID; forge group IDs over UNIX sockets
               7  SETUID             0x0000000000000080  set any user ID; forge user IDs over UNIX sockets
               8  SETPCAP            0x0000000000000100  change capabilities of itself (bounding set, securebits)
              10  NET_BIND_SERVICE   0x0000000000000400  bind to ports below 1024
              13  NET_RAW            0x0000000000002000  use RAW and PACKET sockets; bind to any address
              18  SYS_CHROOT         0x0000000000040000  change the root directory (chroot)
              27  MKNOD              0x0000000008000000  make device special files (mknod)
              29  AUDIT_WRITE        0x0000000020000000  write records to the kernel audit log
              31  SETFCAP            0x0000000080000000  set file capabilities
            """);
  }

  @Test
  void the_full_set_of_linux_6_is_41_capabilities_ending_with_checkpoint_restore()
      throws Exception {
    String full = decoded("0x000001ffffffffff");
    assertThat(full).startsWith("0x000001ffffffffff: 41 capabilities\n");
    assertThat(full.lines().skip(1)).hasSize(41);
    assertThat(full.lines().reduce((a, b) -> b).orElseThrow())
        .isEqualTo(
            "  40  CHECKPOINT_RESTORE 0x0000010000000000  checkpoint and restore processes"
                + " (set_tid, /proc/PID/map_files)");
  }

  @Test
  void an_empty_set_says_none() throws Exception {
    assertThat(decoded("0")).isEqualTo("0x0000000000000000: none\n");
  }

  @Test
  void a_bit_newer_than_the_table_is_named_by_its_number() throws Exception {
    assertThat(decoded("0x8000000000000000"))
        .isEqualTo(
            "0x8000000000000000: 1 capability\n"
                + "  63  63                 0x8000000000000000  a capability newer than this"
                + " exporter\n");
  }

  @Test
  void a_running_process_shows_its_five_sets_as_its_status_file_has_them() throws Exception {
    long pid = ProcessHandle.current().pid();
    String status = Files.readString(Path.of("/proc/" + pid + "/status"));
    String decoded = decoded("--pid=" + pid);
    for (String set : List.of("CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb")) {
      String mask =
          status
              .lines()
              .filter(l -> l.startsWith(set + ":"))
              .findFirst()
              .orElseThrow()
              .substring(set.length() + 1)
              .strip();
      assertThat(decoded).contains(set + "  0x" + mask + ":");
    }
    assertThat(decoded.lines().filter(l -> l.startsWith("Cap"))).hasSize(5);
  }

  @Test
  void bad_masks_exit_2_naming_the_problem() {
    for (String bad : List.of("xyz", "0x", "", "12345678901234567", "-1", "0xfffg")) {
      assertThatThrownBy(() -> decode(Path.of("/proc")).run(List.of(bad)))
          .isInstanceOf(UsageException.class)
          .hasMessage(
              "decode: '"
                  + bad
                  + "' is not a capability mask: give up to 16 hex digits, with or without 0x, as"
                  + " /proc/PID/status writes them (CapEff: 000001ffffffffff)");
    }
    assertThatThrownBy(() -> decode(Path.of("/proc")).run(List.of()))
        .hasMessage("decode: give a mask (decode 000001ffffffffff) or --pid=PID");
    assertThatThrownBy(() -> decode(Path.of("/proc")).run(List.of("--pid=abc")))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("--pid=abc");
  }

  @Test
  void a_process_that_is_gone_exits_1() throws Exception {
    assertThat(decode(Path.of("/proc")).run(List.of("--pid", "999999999"))).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("decode: no process 999999999");
  }

  @Test
  void a_status_file_that_is_a_fifo_exits_1_at_once(@TempDir Path proc) throws Exception {
    Path status = Files.createDirectories(proc.resolve("42")).resolve("status");
    assertThat(new ProcessBuilder("mkfifo", status.toString()).start().waitFor()).isZero();

    int exit =
        assertTimeoutPreemptively(
            Duration.ofSeconds(10), () -> decode(proc).run(List.of("--pid=42")));

    assertThat(exit).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .isEqualTo(
            "capability-exporter: decode: /proc file "
                + status
                + " is a FIFO, not a regular file: mount procfs at /proc\n");
  }

  @Test
  void a_status_file_with_a_forged_line_is_refused_not_believed(@TempDir Path proc)
      throws Exception {
    Files.createDirectories(proc.resolve("42"));
    Files.writeString(
        proc.resolve("42/status"),
        "Name:\tx\nCapInh:\t0\nCapPrm:\tzzzz\nCapEff:\t1\nCapBnd:\t1\nCapAmb:\t0\n");
    assertThat(decode(proc).run(List.of("--pid=42"))).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("has no valid CapPrm line");
  }
}
