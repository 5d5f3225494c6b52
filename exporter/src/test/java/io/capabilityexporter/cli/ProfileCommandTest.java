package io.capabilityexporter.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.capabilityexporter.domain.Check;
import io.capabilityexporter.domain.Flag;
import io.capabilityexporter.domain.Origin;
import io.capabilityexporter.domain.Owner;
import io.capabilityexporter.domain.Pods;
import io.capabilityexporter.domain.Workload;
import io.capabilityexporter.events.CheckEvent;
import io.capabilityexporter.profiles.ProfileLimits;
import io.capabilityexporter.profiles.ProfileRecorder;
import io.capabilityexporter.profiles.ProfileStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code profile} reads the file the exporter saves, as a user runs it next to the exporter. */
class ProfileCommandTest {
  private static final Instant T0 = Instant.parse("2025-06-01T12:34:56Z");

  @TempDir Path dir;
  private Path file;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private static CheckEvent chroot(Workload workload, Owner owner) {
    return new CheckEvent(
        T0,
        "node-1",
        workload,
        owner == null
            ? null
            : Pods.ownedBy(owner, workload.container(), "example/" + owner.name() + ":1"),
        owner == null ? "" : "ab".repeat(32),
        1L,
        10,
        10,
        "chroot",
        "chroot",
        0,
        0,
        new Check(18, true, Flag.YES, 0),
        Origin.WORKLOAD,
        Flag.NO,
        1L,
        1L,
        1L,
        0L,
        4,
        List.of());
  }

  private static Owner owner(String kind, String name) {
    return new Owner(kind, name);
  }

  @BeforeEach
  void recordedProfiles() throws IOException {
    ProfileRecorder recorder = new ProfileRecorder(ProfileLimits.DEFAULT);
    recorder.record(
        chroot(new Workload("shop", "cart-1", "cart"), owner("Deployment", "cart")), null);
    recorder.record(chroot(new Workload("ops", "db-0", "db"), owner("StatefulSet", "db")), null);
    recorder.record(chroot(Workload.container("cron.service"), null), null);
    recorder.record(chroot(Workload.container("/demo"), null), null);
    file = dir.resolve("profiles.json");
    ProfileStore.save(file, recorder.snapshot());
  }

  private int run(String... args) {
    PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
    PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
    return new Cli(outStream, errStream).run(args);
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void prints_every_recorded_workload_as_text() {
    assertThat(run("profile", "--file=" + file)).isEqualTo(0);

    assertThat(out().lines().filter(line -> !line.startsWith(" ")).toList())
        .containsExactly(
            "Cgroup//demo, seen 2025-06-01T12:34:56Z to 2025-06-01T12:34:56Z",
            "",
            "SystemdUnit/cron.service, seen 2025-06-01T12:34:56Z to 2025-06-01T12:34:56Z",
            "",
            "ops StatefulSet/db, seen 2025-06-01T12:34:56Z to 2025-06-01T12:34:56Z",
            "",
            "shop Deployment/cart, seen 2025-06-01T12:34:56Z to 2025-06-01T12:34:56Z");
    assertThat(err()).isEmpty();
  }

  @Test
  void filters_by_namespace_and_by_workload_with_or_without_its_kind() {
    assertThat(run("profile", "--file", file.toString(), "-o", "yaml", "--namespace=shop"))
        .isEqualTo(0);
    assertThat(out()).startsWith("# shop Deployment/cart\n").doesNotContain("db");

    out.reset();
    assertThat(run("profile", "--file=" + file, "-o=yaml", "--workload=statefulset/db"))
        .isEqualTo(0);
    assertThat(out()).startsWith("# ops StatefulSet/db\n").doesNotContain("cart");

    out.reset();
    assertThat(run("profile", "--file=" + file, "-o", "yaml", "--workload=cron.service"))
        .isEqualTo(0);
    assertThat(out()).startsWith("# SystemdUnit/cron.service (no Kubernetes)\n");

    out.reset();
    assertThat(run("profile", "--file=" + file, "-o", "yaml", "--workload=/demo")).isEqualTo(0);
    assertThat(out()).startsWith("# Cgroup//demo (no Kubernetes)\n").doesNotContain("cron");
  }

  @Test
  void json_is_the_whole_snapshot_for_tools() {
    assertThat(run("profile", "--file=" + file, "-o", "json", "--workload=cart")).isEqualTo(0);

    assertThat(out()).startsWith("{\n  \"version\" : 1,").contains("\"name\" : \"cart\"");
  }

  @Test
  void says_so_and_exits_1_when_nothing_matches() {
    assertThat(run("profile", "--file=" + file, "--namespace=nope")).isEqualTo(1);

    assertThat(out()).isEmpty();
    assertThat(err()).isEqualTo("capability-exporter: no profile matches\n");
  }

  @Test
  void a_missing_file_exits_1_saying_who_writes_it() {
    assertThat(run("profile", "--file=" + dir.resolve("none.json"))).isEqualTo(1);

    assertThat(err())
        .contains("no profiles at " + dir.resolve("none.json"))
        .contains("`capability-exporter run` writes them there while it runs with profiles on");
  }

  @Test
  void a_corrupt_file_exits_1_and_is_left_where_it_is() throws IOException {
    Files.writeString(file, "{\"version\":1,\"workloads\":[");

    assertThat(run("profile", "--file=" + file)).isEqualTo(1);

    assertThat(err()).contains(file + " is not a profiles file: not JSON");
    assertThat(file).exists();
  }

  @Test
  void bad_flags_are_usage_errors() {
    assertThat(run("profile", "-o", "xml")).isEqualTo(2);
    assertThat(err()).contains("-o xml is not an output format: use text, json or yaml");
    assertThat(run("profile", "--pod=x")).isEqualTo(2);
    assertThatThrownBy(
            () -> new ProfileCommand(System.out, System.err).run(List.of("--workload=Deployment/")))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("write it as KIND/NAME (Deployment/cart) or NAME (cart)");
  }

  @Test
  void help_describes_the_flags_and_the_default_file() {
    assertThat(run("profile", "--help")).isEqualTo(0);

    assertThat(out()).contains("--file=PATH", "/var/lib/capability-exporter/profiles.json");
    out.reset();
    assertThat(run("--help")).isEqualTo(0);
    assertThat(out()).contains("  profile   print recorded profiles");
  }
}
