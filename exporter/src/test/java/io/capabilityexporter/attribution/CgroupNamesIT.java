package io.capabilityexporter.attribution;

import static io.capabilityexporter.testing.KernelTests.helper;
import static org.assertj.core.api.Assertions.assertThat;

import io.capabilityexporter.testing.Exposition;
import io.capabilityexporter.testing.KernelTest;
import io.capabilityexporter.testing.KernelTests;
import io.capabilityexporter.testing.LaunchedExporter;
import io.capabilityexporter.testing.TestCgroup;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cgroup names outside ASCII, and names that are not UTF-8 at all, each under its own label, with
 * the exporter run as in a container image: no LANG, so the JVM's file name encoding is ASCII.
 */
@KernelTest
class CgroupNamesIT {
  @TempDir Path dir;

  /** Runs {@code script} in sh with {@code $1} the test cgroup's directory; asserts it exits 0. */
  private static void sh(TestCgroup top, String script) throws Exception {
    Process process =
        new ProcessBuilder(
                "sh", "-c", script, "sh", top.directory().toString(), helper("trigger").toString())
            .redirectErrorStream(true)
            .start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(script + ": " + output).isZero();
  }

  /** Makes the cgroup {@code name} (printf's spelling: {@code rel-\377}) under {@code top}. */
  private static void mkdir(TestCgroup top, String name) throws Exception {
    sh(top, "mkdir \"$1/$(printf '" + name + "')\"");
  }

  /** {@code count} denied chroots in the cgroup {@code name} under {@code top}. */
  private static void deniedChroots(TestCgroup top, String name, int count) throws Exception {
    sh(
        top,
        "echo $$ > \"$1/$(printf '"
            + name
            + "')/cgroup.procs\" && \"$2\" --drop 18 chroot "
            + count
            + " > /dev/null");
  }

  /** The series of {@code container}, whose backslashes the text format writes doubled. */
  private static double denied(String exposition, String container) {
    String label = container.replace("\\", "\\\\");
    return Exposition.value(exposition, Exposition.checks(label, "SYS_CHROOT", "deny", false))
        .orElse(0.0);
  }

  @Test
  void names_outside_ascii_and_not_utf8_each_keep_a_label_of_their_own() throws Exception {
    KernelTests.requireRoot();
    Map<String, String> noLocale = new HashMap<>();
    for (String variable : new String[] {"LANG", "LANGUAGE", "LC_ALL", "LC_CTYPE"}) {
      noLocale.put(variable, null);
    }
    // Names the start-up walk finds, and names the kernel tells of once the exporter runs.
    Map<String, String> walked =
        Map.of("rel-\\303\\251", "rel-é", "rel-\\377", "rel-\\xff", "rel-\\376", "rel-\\xfe");
    Map<String, String> told = Map.of("new-\\303\\251", "new-é", "new-\\377", "new-\\xff");
    try (TestCgroup top = TestCgroup.create("names")) {
      String prefix = top.label() + "/";
      try {
        for (String name : walked.keySet()) {
          mkdir(top, name);
        }
        try (LaunchedExporter exporter = LaunchedExporter.start(dir, noLocale)) {
          for (String name : told.keySet()) {
            mkdir(top, name);
          }
          Map<String, String> all = new HashMap<>(walked);
          all.putAll(told);
          int count = 1;
          Map<String, Integer> expected = new HashMap<>();
          for (Map.Entry<String, String> cgroup : all.entrySet()) {
            deniedChroots(top, cgroup.getKey(), count);
            expected.put(prefix + cgroup.getValue(), count++); // a different count each
          }

          String exposition = exporter.metrics();
          for (Map.Entry<String, Integer> label : expected.entrySet()) {
            assertThat(denied(exposition, label.getKey()))
                .as(label.getKey() + " in\n" + exposition)
                .isEqualTo(label.getValue().doubleValue());
          }

          // Still followed as live: more checks add to the same series.
          deniedChroots(top, "rel-\\377", 10);
          assertThat(denied(exporter.metrics(), prefix + "rel-\\xff"))
              .isEqualTo(expected.get(prefix + "rel-\\xff") + 10.0);
        }
      } finally {
        sh(top, "cd \"$1\" && for d in */; do rmdir \"$d\"; done");
      }
    }
  }
}
