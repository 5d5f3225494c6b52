package io.capabilityexporter.attribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DockerNamesTest {

  static final String ID = ContainerNamingTest.ID;

  @TempDir Path containers;

  private Path config(String json) throws Exception {
    Path dir = Files.createDirectories(containers.resolve(ID));
    return Files.write(dir.resolve("config.v2.json"), json.getBytes(StandardCharsets.UTF_8));
  }

  private DockerNames names() {
    return new DockerNames(containers);
  }

  @Test
  void reads_the_top_level_name_and_not_nested_ones() throws Exception {
    config(
        "{\"StreamConfig\":{},\"State\":{\"Running\":true},\"ID\":\""
            + ID
            + "\","
            + "\"Config\":{\"Labels\":{\"Name\":\"/label-trap\"},\"Cmd\":[\"{\",\"\\\"Name\\\"\"]},"
            + "\"MountPoints\":{\"/data\":{\"Name\":\"/volume-trap\",\"RW\":true}},"
            + "\"Name\" : \"/web-1\",\"Driver\":\"overlay2\"}");
    assertThat(names().name(ID)).contains("web-1");
  }

  @Test
  void decodes_json_escapes_before_checking_the_name() throws Exception {
    config("{\"Name\":\"\\/db\\u005fmain.2\"}");
    assertThat(names().name(ID)).contains("db_main.2");
  }

  @Test
  void gives_no_name_when_only_nested_objects_have_one() throws Exception {
    config("{\"MountPoints\":{\"/data\":{\"Name\":\"/volume\"}}}");
    assertThat(names().name(ID)).isEmpty();
  }

  @Test
  void gives_no_name_for_a_file_over_one_mebibyte() throws Exception {
    config("{\"Name\":\"/big\",\"Pad\":\"" + "x".repeat(DockerNames.MAX_FILE_BYTES) + "\"}");
    assertThat(names().name(ID)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "not json",
        "[\"Name\",\"/x\"]",
        "{\"Name\":\"/unterminated",
        "{\"Name\":42}",
        "{\"Name\":\"/bad\\q\"}",
        "{\"Name\":\"/bad\\u12\"}",
        "{\"Name\"",
        "{{{{{{{{{{"
      })
  void gives_no_name_for_malformed_files(String json) throws Exception {
    config(json);
    assertThat(names().name(ID)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "web",
        "/",
        "/../../etc/passwd",
        "/bad name",
        "/new\\nline",
        "/-leading-dash",
        "/_leading",
        "/caf\u00e9",
        "/quote\\\"",
        "/a{x}",
      })
  void rejects_names_docker_would_not_allow(String name) throws Exception {
    config("{\"Name\":\"" + name + "\"}");
    assertThat(names().name(ID)).isEmpty();
  }

  @Test
  void rejects_absurdly_long_names() throws Exception {
    config("{\"Name\":\"/" + "a".repeat(300) + "\"}");
    assertThat(names().name(ID)).isEmpty();
  }

  @Test
  void does_not_follow_a_symlinked_config() throws Exception {
    Path elsewhere = Files.writeString(containers.resolve("elsewhere.json"), "{\"Name\":\"/x\"}");
    Files.createSymbolicLink(
        Files.createDirectories(containers.resolve(ID)).resolve("config.v2.json"), elsewhere);
    assertThat(names().name(ID)).isEmpty();
  }

  @Test
  void does_not_block_on_a_fifo() throws Exception {
    Path dir = Files.createDirectories(containers.resolve(ID));
    Process mkfifo = new ProcessBuilder("mkfifo", dir.resolve("config.v2.json").toString()).start();
    assumeTrue(mkfifo.waitFor() == 0, "mkfifo is not available");
    assertThat(names().name(ID)).isEmpty();
  }

  @Test
  void gives_no_name_for_a_missing_container_or_a_non_id() {
    assertThat(names().name(ID)).isEmpty();
    assertThat(names().name("../" + ID.substring(3))).isEmpty();
    assertThat(names().name("4f6c1e2a9b3d")).isEmpty();
  }

  @Test
  void caches_what_it_read() throws Exception {
    DockerNames names = names();
    Path file = config("{\"Name\":\"/cached\"}");
    assertThat(names.name(ID)).contains("cached");
    Files.delete(file);
    assertThat(names.name(ID)).contains("cached");
  }
}
