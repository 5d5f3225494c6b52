package io.capabilityexporter.profiles;

import static io.capabilityexporter.profiles.CheckEvents.T0;
import static io.capabilityexporter.profiles.CheckEvents.chrootDenied;
import static io.capabilityexporter.profiles.CheckEvents.granting;
import static io.capabilityexporter.profiles.CheckEvents.niceDenied;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.capabilityexporter.domain.Flag;
import io.capabilityexporter.domain.Workload;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ProfileStoreTest {
  private static final Clock CLOCK =
      Clock.fixed(java.time.Instant.parse("2025-06-02T08:00:00Z"), ZoneOffset.UTC);

  @TempDir Path dir;
  private final List<String> warnings = new ArrayList<>();

  private ProfileRecorder load(Path file) {
    return ProfileStore.load(file, ProfileLimits.DEFAULT, warnings::add, CLOCK);
  }

  private static Profiles cart() {
    ProfileRecorder recorder = new ProfileRecorder(ProfileLimits.DEFAULT);
    recorder.record(chrootDenied(12, T0), granting("cart", Set.of("NET_ADMIN"), false));
    recorder.record(niceDenied(3, T0.plusSeconds(4)), null);
    return recorder.snapshot();
  }

  private List<String> files() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(path -> path.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void a_profile_survives_a_restart() throws IOException {
    Path file = dir.resolve("profiles.json");
    ProfileStore.save(file, cart());

    ProfileRecorder restarted = load(file);

    assertThat(restarted.snapshot()).isEqualTo(cart());
    assertThat(warnings).isEmpty();
    restarted.record(chrootDenied(1, T0.plusSeconds(3600)), null);
    CapabilityUse chroot =
        restarted.snapshot().workloads().get(0).containers().get(0).capabilities().get(0);
    assertThat(chroot.denied()).isEqualTo(13);
    assertThat(chroot.lastSeen()).isEqualTo(T0.plusSeconds(3600));
  }

  @Test
  void saving_replaces_the_file_whole_leaves_no_temporary_file_and_is_private() throws Exception {
    Path file = dir.resolve("sub/profiles.json");
    ProfileStore.save(file, Profiles.EMPTY);
    ProfileStore.save(file, cart());

    assertThat(ProfileStore.read(file, ProfileLimits.DEFAULT)).isEqualTo(cart());
    try (Stream<Path> files = Files.list(file.getParent())) {
      assertThat(files.map(Path::getFileName).map(Path::toString)).containsExactly("profiles.json");
    }
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
  }

  @Test
  void the_file_carries_its_format_version() throws IOException {
    Path file = dir.resolve("profiles.json");
    ProfileStore.save(file, Profiles.EMPTY);

    assertThat(Files.readString(file)).isEqualTo("{\"version\":1,\"workloads\":[]}");
  }

  @Test
  void no_file_yet_is_a_fresh_start_without_a_warning() throws IOException {
    ProfileRecorder recorder = load(dir.resolve("profiles.json"));

    assertThat(recorder.snapshot()).isEqualTo(Profiles.EMPTY);
    assertThat(warnings).isEmpty();
    assertThat(files()).isEmpty();
    assertThatThrownBy(() -> ProfileStore.read(dir.resolve("profiles.json"), ProfileLimits.DEFAULT))
        .isInstanceOf(NoSuchFileException.class);
  }

  private static final String GOOD_CAPABILITY =
      "{\"capability\":\"SYS_CHROOT\",\"allowed\":0,\"denied\":12,\"audited\":true,"
          + "\"firstSeen\":\"2025-06-01T12:34:56Z\",\"lastSeen\":\"2025-06-01T12:34:56Z\","
          + "\"syscalls\":[\"chroot\"],\"comms\":[\"chroot\"]}";

  private static String withCapability(String capability) {
    return "{\"version\":1,\"workloads\":[{\"namespace\":\"shop\",\"kind\":\"Deployment\","
        + "\"name\":\"cart\",\"firstSeen\":\"2025-06-01T12:34:56Z\","
        + "\"lastSeen\":\"2025-06-01T12:34:56Z\",\"containers\":[{\"name\":\"cart\",\"image\":\"\","
        + "\"granted\":null,\"firstSeen\":\"2025-06-01T12:34:56Z\","
        + "\"lastSeen\":\"2025-06-01T12:34:56Z\",\"capabilities\":["
        + capability
        + "]}]}]}";
  }

  @Test
  void the_hand_written_sample_of_a_good_file_loads() throws IOException {
    Path file = dir.resolve("profiles.json");
    Files.writeString(file, withCapability(GOOD_CAPABILITY));

    assertThat(load(file).snapshot().workloads()).hasSize(1);
    assertThat(warnings).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "garbage",
        "",
        "{\"version\":1,\"workloads\":[{\"namespace\":\"shop\"",
        "[1,2,3]",
        "{\"version\":2,\"workloads\":[]}",
        "{\"version\":\"1\",\"workloads\":[]}",
        "{\"version\":1,\"workloads\":{}}",
        "{\"version\":1,\"workloads\":[]} trailing",
        "{\"version\":1,\"version\":1,\"workloads\":[]}",
        "{\"version\":1,\"workloads\":[42]}",
        "COUNT:-5",
        "COUNT:1.5",
        "COUNT:\"12\"",
        "COUNT:99999999999999999999999",
        "CAP:NOT_A_CAPABILITY",
        "CAP:70",
        "AUDITED:false",
        "SYSCALLS:[1]",
        "LASTSEEN:2025-06-01T12:00:00Z",
        "FIRSTSEEN:yesterday",
      })
  void a_corrupt_file_is_set_aside_with_a_warning_and_recording_starts_afresh(String content)
      throws IOException {
    Path file = dir.resolve("profiles.json");
    Files.writeString(file, corrupt(content));

    ProfileRecorder recorder = load(file);

    assertThat(recorder.snapshot()).isEqualTo(Profiles.EMPTY);
    assertThat(files()).containsExactly("profiles.json.corrupt-20250602T080000Z");
    assertThat(Files.readString(dir.resolve("profiles.json.corrupt-20250602T080000Z")))
        .isEqualTo(corrupt(content));
    assertThat(warnings).hasSize(1);
    assertThat(warnings.get(0))
        .startsWith("profiles file " + file + " is unusable (")
        .endsWith("); moved it to profiles.json.corrupt-20250602T080000Z and started afresh");
  }

  private static String corrupt(String content) {
    int colon = content.indexOf(':');
    String value = colon < 0 ? "" : content.substring(colon + 1);
    if (content.startsWith("COUNT:")) {
      return withCapability(GOOD_CAPABILITY.replace("\"denied\":12", "\"denied\":" + value));
    }
    if (content.startsWith("CAP:")) {
      return withCapability(GOOD_CAPABILITY.replace("SYS_CHROOT", value));
    }
    if (content.startsWith("AUDITED:")) {
      return withCapability(GOOD_CAPABILITY.replace("\"audited\":true", "\"audited\":" + value));
    }
    if (content.startsWith("SYSCALLS:")) {
      return withCapability(GOOD_CAPABILITY.replace("[\"chroot\"]", value));
    }
    if (content.startsWith("LASTSEEN:")) {
      return withCapability(
          GOOD_CAPABILITY.replace(
              "\"lastSeen\":\"2025-06-01T12:34:56Z\"", "\"lastSeen\":\"" + value + "\""));
    }
    if (content.startsWith("FIRSTSEEN:")) {
      return withCapability(
          GOOD_CAPABILITY.replace(
              "\"firstSeen\":\"2025-06-01T12:34:56Z\"", "\"firstSeen\":\"" + value + "\""));
    }
    return content;
  }

  @Test
  void a_negative_count_is_named_in_the_warning() throws IOException {
    Path file = dir.resolve("profiles.json");
    Files.writeString(file, corrupt("COUNT:-5"));

    load(file);

    assertThat(warnings.get(0))
        .contains("(workloads[0].containers[0].capabilities[0].denied: -5 is negative)");
  }

  @Test
  void a_huge_array_is_refused_before_it_is_kept() throws IOException {
    Path file = dir.resolve("profiles.json");
    StringBuilder syscalls = new StringBuilder("[");
    for (int i = 0; i < 100_000; i++) {
      syscalls.append(i == 0 ? "" : ",").append("\"s").append(i).append('"');
    }
    Files.writeString(
        file, withCapability(GOOD_CAPABILITY.replace("[\"chroot\"]", syscalls + "]")));

    assertThat(load(file).snapshot()).isEqualTo(Profiles.EMPTY);
    assertThat(warnings.get(0)).contains(".syscalls: 100000 entries, more than 16");
    assertThat(files()).containsExactly("profiles.json.corrupt-20250602T080000Z");
  }

  @Test
  void more_workloads_than_the_limit_is_corrupt() throws IOException {
    Path file = dir.resolve("profiles.json");
    ProfileRecorder two = new ProfileRecorder(ProfileLimits.DEFAULT);
    two.record(chrootDenied(1, T0), null);
    two.record(
        CheckEvents.check(
            io.capabilityexporter.domain.Workload.container("web"),
            null,
            "nginx",
            "chroot",
            CheckEvents.SYS_CHROOT,
            Flag.YES,
            false,
            1,
            T0),
        null);
    ProfileStore.save(file, two.snapshot());

    ProfileStore.load(file, new ProfileLimits(1, 32, 16), warnings::add, CLOCK);

    assertThat(warnings.get(0)).contains("(workloads: 2 entries, more than 1)");
  }

  @Test
  void a_file_larger_than_any_profiles_file_is_refused_unread_and_deleted_not_kept()
      throws IOException {
    Path file = dir.resolve("profiles.json");
    try (java.io.RandomAccessFile sparse = new java.io.RandomAccessFile(file.toFile(), "rw")) {
      sparse.setLength(1L << 30); // 1 GiB, as one was found set aside
    }

    assertThat(load(file).snapshot()).isEqualTo(Profiles.EMPTY);

    assertThat(warnings)
        .containsExactly(
            "profiles file "
                + file
                + " is unusable (larger than 16 MiB); deleted it and started afresh");
    assertThat(files()).isEmpty();
  }

  @Test
  void the_temporary_file_of_a_save_killed_midway_is_removed_at_start() throws IOException {
    Path file = dir.resolve("profiles.json");
    ProfileStore.save(file, cart());
    Path leftover = ProfileLeftovers.temporary(file); // what a kill mid-save leaves
    Files.writeString(dir.resolve("profiles.json.notes.tmp"), "not ours");

    assertThat(load(file).snapshot()).isEqualTo(cart());

    assertThat(files()).containsExactly("profiles.json", "profiles.json.notes.tmp");
    assertThat(warnings)
        .containsExactly(
            "deleted " + leftover + " (the temporary file of a save that did not finish)");
  }

  @Test
  void only_the_newest_set_aside_files_are_kept() throws IOException {
    Path file = dir.resolve("profiles.json");
    for (String stamp :
        List.of(
            "20250601T000000Z",
            "20250601T000000Z-2",
            "20250601T000000Z-10",
            "20250501T000000Z",
            "20250602T070000Z")) {
      Files.writeString(dir.resolve("profiles.json.corrupt-" + stamp), "garbage");
    }
    Files.writeString(file, "garbage"); // set aside now, the newest of all

    load(file);

    assertThat(files())
        .containsExactly(
            "profiles.json.corrupt-20250601T000000Z-10",
            "profiles.json.corrupt-20250602T070000Z",
            "profiles.json.corrupt-20250602T080000Z");
    assertThat(warnings)
        .contains(
            "deleted "
                + dir.resolve("profiles.json.corrupt-20250501T000000Z")
                + " (set aside, older than the 3 kept)");
  }

  @Test
  void a_huge_file_set_aside_earlier_is_deleted_however_new() throws IOException {
    Path file = dir.resolve("profiles.json");
    ProfileStore.save(file, cart());
    Path huge = dir.resolve("profiles.json.corrupt-20250602T070000Z");
    try (java.io.RandomAccessFile sparse = new java.io.RandomAccessFile(huge.toFile(), "rw")) {
      sparse.setLength(1L << 30);
    }

    load(file);

    assertThat(files()).containsExactly("profiles.json");
    assertThat(warnings)
        .containsExactly("deleted " + huge + " (set aside, and larger than any profiles file)");
  }

  @Test
  void a_second_corrupt_file_in_the_same_second_does_not_overwrite_the_first() throws IOException {
    Path file = dir.resolve("profiles.json");
    Files.writeString(file, "first");
    load(file);
    Files.writeString(file, "second");
    load(file);

    assertThat(files())
        .containsExactly(
            "profiles.json.corrupt-20250602T080000Z", "profiles.json.corrupt-20250602T080000Z-1");
  }

  @Test
  void a_directory_in_place_of_the_file_is_set_aside_too() throws IOException {
    Path file = dir.resolve("profiles.json");
    Files.createDirectory(file); // reading a directory fails with an IOException

    assertThat(load(file).snapshot()).isEqualTo(Profiles.EMPTY);
    assertThat(warnings.get(0)).contains("(a directory, not a regular file)");
    assertThat(files()).containsExactly("profiles.json.corrupt-20250602T080000Z");
  }

  @Test
  void garbage_stays_readable_as_text_for_whoever_looks_into_it() throws IOException {
    Path file = dir.resolve("profiles.json");
    Files.write(file, "\u00ff\u00fe garbage".getBytes(StandardCharsets.ISO_8859_1));

    load(file);

    assertThat(warnings.get(0)).contains("not JSON");
  }

  @Test
  void whatever_the_recorder_records_is_saved_and_read_back_after_a_restart() throws Exception {
    Instant when = Instant.parse("2026-11-24T12:00:00Z");
    ProfileRecorder recorder = new ProfileRecorder(ProfileLimits.DEFAULT);
    // A task may rename itself "" (prctl PR_SET_NAME); a cgroup path may be very long; a
    // capability number may be newer than any table.
    recorder.record(
        CheckEvents.check(
            Workload.container("/demo"), null, "", "chroot", 18, Flag.YES, true, 1, when),
        null);
    recorder.record(
        CheckEvents.check(
            Workload.container("/" + "deep/".repeat(80)),
            null,
            "x",
            "chroot",
            18,
            Flag.YES,
            true,
            1,
            when),
        null);
    recorder.record(
        CheckEvents.check(Workload.container("/demo"), null, "x", "", 64, Flag.YES, true, 1, when),
        null);
    Path file = dir.resolve("profiles.json");

    ProfileStore.save(file, recorder.snapshot());

    assertThat(ProfileStore.read(file, ProfileLimits.DEFAULT)).isEqualTo(recorder.snapshot());
    assertThat(recorder.snapshot().workloads())
        .singleElement()
        .satisfies(w -> assertThat(w.name()).isEqualTo("/demo"));
  }

  @Test
  void a_fifo_in_place_of_the_file_is_set_aside_without_blocking_start_up() throws Exception {
    Path file = dir.resolve("profiles.json");
    Process mkfifo = new ProcessBuilder("mkfifo", file.toString()).start();
    assertThat(mkfifo.waitFor()).isZero();
    List<String> warnings = new java.util.ArrayList<>();

    ProfileRecorder recorder =
        ProfileStore.load(file, ProfileLimits.DEFAULT, warnings::add, java.time.Clock.systemUTC());

    assertThat(recorder.snapshot()).isEqualTo(Profiles.EMPTY);
    assertThat(warnings).singleElement().asString().contains("not a regular file");
    assertThat(file).doesNotExist();
  }
}
