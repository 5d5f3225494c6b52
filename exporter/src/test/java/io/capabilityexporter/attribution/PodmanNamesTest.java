package io.capabilityexporter.attribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PodmanNamesTest {
  static final String ID = ContainerNamingTest.ID;
  static final String OTHER = ID.replace('4', '5');

  @TempDir Path storage;

  /** containers/storage's list, as Podman 4 writes it (metadata is a JSON string of its own). */
  private static String entry(String id, String names) {
    return "{\"id\":\""
        + id
        + "\",\"names\":"
        + names
        + ",\"image\":\"fa7c13f6b359\",\"layer\":\"d3ac03b5f089\","
        + "\"metadata\":\"{\\\"image-name\\\":\\\"docker.io/library/debian:bookworm\\\","
        + "\\\"name\\\":\\\"trap\\\",\\\"created-at\\\":1795702793}\","
        + "\"created\":\"2026-11-26T14:19:53.904374414Z\","
        + "\"flags\":{\"MountLabel\":\"\",\"ProcessLabel\":\"\"}}";
  }

  private Path containers(String json) throws Exception {
    Path dir = Files.createDirectories(storage.resolve("overlay-containers"));
    return Files.writeString(dir.resolve("containers.json"), json);
  }

  private PodmanNames names() {
    return new PodmanNames(storage);
  }

  @Test
  void names_a_container_by_its_first_name_as_podman_ps_does() throws Exception {
    containers(
        "[" + entry(OTHER, "[\"builder\"]") + ",\n " + entry(ID, "[\"test\",\"alias\"]") + "]");
    assertThat(names().name(ID)).contains("test");
    assertThat(names().name(OTHER)).contains("builder");
  }

  @Test
  void reads_a_changed_file_again_and_keeps_the_unchanged_one() throws Exception {
    PodmanNames names = names();
    Path file = containers("[" + entry(OTHER, "[\"first\"]") + "]");
    assertThat(names.name(ID)).isEmpty();
    Files.writeString(file, "[" + entry(OTHER, "[\"first\"]") + "," + entry(ID, "[\"web\"]") + "]");
    Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis() + 5000));
    assertThat(names.name(ID)).contains("web");
  }

  @Test
  void other_drivers_lists_are_read_too() throws Exception {
    Path dir = Files.createDirectories(storage.resolve("vfs-containers"));
    Files.writeString(dir.resolve("containers.json"), "[" + entry(ID, "[\"on-vfs\"]") + "]");
    assertThat(names().name(ID)).contains("on-vfs");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "not json",
        "{\"id\":\"" + ID + "\",\"names\":[\"x\"]}",
        "[{\"id\":\"" + ID + "\",\"names\":[\"x\"]}",
        "[{\"id\":\"" + ID + "\",\"names\":[\"x\"]}] trailing",
        "[{\"id\":\"" + ID + "\",\"names\":\"x\"}]",
        "[{\"id\":\"" + ID + "\",\"names\":[]}]",
        "[{\"id\":\"" + ID + "\",\"names\":[42]}]",
        "[{\"id\":\"" + ID + "\",\"names\":[\"bad\\q\"]}]",
        "[{\"id\":\"" + ID + "\",\"names\":[\"x\"],\"deep\":[[[[[[[[[[1]]]]]]]]]]}]",
        "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[",
      })
  void gives_no_name_for_malformed_files(String json) throws Exception {
    containers(json);
    assertThat(names().name(ID)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"", "-dash", "_under", "bad name", "caf\u00e9", "a/b", "../x", "new\\nline"})
  void rejects_names_podman_would_not_allow(String name) throws Exception {
    containers("[" + entry(ID, "[\"" + name + "\"]") + "]");
    assertThat(names().name(ID)).isEmpty();
  }

  @Test
  void rejects_ids_that_are_not_container_ids() throws Exception {
    containers("[" + entry("../" + ID.substring(3), "[\"x\"]") + "]");
    assertThat(names().name("../" + ID.substring(3))).isEmpty();
    assertThat(names().name(ID.substring(0, 12))).isEmpty();
  }

  @Test
  void gives_no_name_for_a_file_over_its_size_cap() throws Exception {
    containers(
        "[" + entry(ID, "[\"big\"]") + ",\"" + "x".repeat(PodmanNames.MAX_FILE_BYTES) + "\"]");
    assertThat(names().name(ID)).isEmpty();
  }

  @Test
  void does_not_follow_a_symlinked_list() throws Exception {
    Path elsewhere =
        Files.writeString(storage.resolve("elsewhere.json"), "[" + entry(ID, "[\"x\"]") + "]");
    Files.createSymbolicLink(
        Files.createDirectories(storage.resolve("overlay-containers")).resolve("containers.json"),
        elsewhere);
    assertThat(names().name(ID)).isEmpty();
  }

  @Test
  void does_not_block_on_a_fifo() throws Exception {
    Path dir = Files.createDirectories(storage.resolve("overlay-containers"));
    Process mkfifo =
        new ProcessBuilder("mkfifo", dir.resolve("containers.json").toString()).start();
    assumeTrue(mkfifo.waitFor() == 0, "mkfifo is not available");
    assertThat(names().name(ID)).isEmpty();
  }

  @Test
  void gives_no_name_without_a_storage() {
    assertThat(names().name(ID)).isEmpty();
  }
}
