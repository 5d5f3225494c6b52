package io.capabilityexporter.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileNamesTest {
  private static byte[] bytes(int... values) {
    byte[] bytes = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      bytes[i] = (byte) values[i];
    }
    return bytes;
  }

  private static String text(String utf8) {
    return FileNames.text(utf8.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void utf8_names_read_as_they_are() {
    assertThat(text("rel-é")).isEqualTo("rel-é");
    assertThat(text("kubepods-burstable-pod1a2b.slice"))
        .isEqualTo("kubepods-burstable-pod1a2b.slice");
    assertThat(text("system-systemd\\x2dfsck.slice")).isEqualTo("system-systemd\\x2dfsck.slice");
    assertThat(text("日本")).isEqualTo("日本");
  }

  @Test
  void bytes_that_are_not_utf8_are_escaped() {
    assertThat(FileNames.text(bytes('r', 'e', 'l', '-', 0xff))).isEqualTo("rel-\\xff");
    assertThat(FileNames.text(bytes('r', 'e', 'l', '-', 0xe9))).isEqualTo("rel-\\xe9"); // Latin-1 é
    assertThat(FileNames.text(bytes(0xc3, 'x'))).isEqualTo("\\xc3x"); // a cut sequence
  }

  @Test
  void a_backslash_that_would_read_as_an_escape_is_escaped_itself() {
    assertThat(text("rel-\\xff")).isEqualTo("rel-\\x5cxff");
    assertThat(text("\\x5c")).isEqualTo("\\x5cx5c");
  }

  /** Every name of up to four bytes from an alphabet made to collide: no two read the same. */
  @Test
  void no_two_names_read_the_same() {
    int[] alphabet = {'\\', 'x', 'f', '5', 'c', '8', 'a', 0xff, 0xc3, 0xa9};
    Map<String, byte[]> seen = new HashMap<>();
    List<byte[]> names = new java.util.ArrayList<>(List.of(new byte[0]));
    for (int length = 1; length <= 4; length++) {
      List<byte[]> longer = new java.util.ArrayList<>();
      for (byte[] name : names) {
        if (name.length == length - 1) {
          for (int c : alphabet) {
            ByteArrayOutputStream next = new ByteArrayOutputStream();
            next.writeBytes(name);
            next.write(c);
            longer.add(next.toByteArray());
          }
        }
      }
      names.addAll(longer);
    }
    for (byte[] name : names) {
      byte[] before = seen.put(FileNames.text(name), name);
      assertThat(before).as(FileNames.text(name)).isNull();
    }
    assertThat(seen).hasSize(names.size());
  }

  @Test
  void a_listed_name_reads_from_its_bytes_whatever_the_jvm_encoding(@TempDir Path dir)
      throws Exception {
    // Made by the shell: the JVM may not be able to spell these names at all.
    Process mkdir =
        new ProcessBuilder(
                "sh",
                "-c",
                "cd \"$1\" && mkdir \"$(printf 'rel-\\303\\251')\" \"$(printf 'rel-\\377')\"",
                "sh",
                dir.toString())
            .start();
    assertThat(mkdir.waitFor()).isZero();
    List<String> names = new java.util.ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      entries.forEach(entry -> names.add(FileNames.name(entry)));
    }

    assertThat(names).containsExactlyInAnyOrder("rel-é", "rel-\\xff");
  }
}
