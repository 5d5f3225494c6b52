package io.capabilityexporter.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * deploy/Dockerfile cannot be built here (no Docker engine): what can be checked without one is.
 * The files it copies out of the build stage exist once the jar is packaged:
 * DaemonSetOnThisKernelIT.
 */
class DockerfileTest {
  private static Dockerfile dockerfile;

  @BeforeAll
  static void read() throws Exception {
    dockerfile = Dockerfile.read();
  }

  /** Dockerfile.dockerignore's patterns: a path or, with a leading double star, a name anywhere. */
  private static boolean ignored(String path, List<String> patterns) {
    for (String pattern : patterns) {
      if (pattern.startsWith("**/")) {
        String name = pattern.substring(3);
        if (("/" + path + "/").contains("/" + name + "/")) {
          return true;
        }
      } else if (path.equals(pattern) || path.startsWith(pattern + "/")) {
        return true;
      }
    }
    return false;
  }

  @Test
  void copies_from_the_build_context_only_what_the_repository_holds() throws Exception {
    List<String> ignore =
        Files.readAllLines(Deploy.DIR.resolve("Dockerfile.dockerignore")).stream()
            .map(String::strip)
            .filter(line -> !line.isEmpty() && !line.startsWith("#"))
            .toList();
    List<Dockerfile.Copy> fromContext =
        dockerfile.copies().stream().filter(copy -> copy.from() == null).toList();
    assertThat(fromContext).isNotEmpty();
    for (Dockerfile.Copy copy : fromContext) {
      for (String source : copy.sources()) {
        String path = source.replaceAll("/+$", "");
        assertThat(Deploy.ROOT.resolve(path)).as("COPY " + source).exists();
        assertThat(ignored(path, ignore)).as("COPY " + source + " is in .dockerignore").isFalse();
      }
    }
  }

  @Test
  void the_build_stage_builds_what_the_run_stage_copies() throws Exception {
    List<Dockerfile.Copy> fromBuild =
        dockerfile.copies().stream().filter(copy -> copy.from() != null).toList();
    assertThat(fromBuild).extracting(Dockerfile.Copy::from).containsOnly("build").hasSize(2);
    // The jar is where exporter/pom.xml's <finalName> puts it.
    Matcher finalName =
        Pattern.compile("<finalName>([^<]+)</finalName>")
            .matcher(Files.readString(Deploy.ROOT.resolve("exporter/pom.xml")));
    assertThat(finalName.find()).isTrue();
    assertThat(fromBuild)
        .extracting(copy -> dockerfile.inRepository("build", copy.sources().get(0)))
        .containsExactlyInAnyOrder(
            Deploy.ROOT.resolve("bin/capability-exporter"),
            Deploy.ROOT.resolve("exporter/target/" + finalName.group(1) + ".jar"));
    assertThat(dockerfile.all("RUN"))
        .filteredOn(run -> run.stage().equals("build"))
        .anySatisfy(run -> assertThat(run.arguments()).contains("package -DskipTests"));
  }

  @Test
  void the_launcher_finds_the_jar_where_the_image_puts_it() throws Exception {
    Dockerfile.Copy launcher = copyOf("bin/capability-exporter");
    Dockerfile.Copy jar = copyOf(".jar");
    Path bin = Path.of(launcher.destination()).getParent();
    // bin/capability-exporter looks for "$here/../lib/capability-exporter.jar".
    assertThat(Files.readString(Deploy.ROOT.resolve("bin/capability-exporter")))
        .contains("\"$here/../lib/capability-exporter.jar\"");
    assertThat(Path.of(jar.destination()))
        .isEqualTo(bin.resolveSibling("lib").resolve("capability-exporter.jar"));
    assertThat(dockerfile.all("ENTRYPOINT"))
        .singleElement()
        .satisfies(
            e -> assertThat(e.arguments()).isEqualTo("[\"" + launcher.destination() + "\"]"));
    assertThat(dockerfile.all("CMD"))
        .singleElement()
        .satisfies(c -> assertThat(c.arguments()).isEqualTo("[\"run\"]"));
  }

  @Test
  void the_run_stage_has_java_17_and_libbpf_and_exposes_the_metrics_port() {
    String runStage = dockerfile.instructions().get(dockerfile.instructions().size() - 1).stage();
    assertThat(dockerfile.all("RUN"))
        .filteredOn(run -> run.stage().equals(runStage))
        .anySatisfy(
            run -> assertThat(run.arguments()).contains("openjdk-17-jre-headless", "libbpf1"));
    assertThat(dockerfile.all("EXPOSE"))
        .extracting(Dockerfile.Instruction::arguments)
        .containsExactly("9741");
  }

  private static Dockerfile.Copy copyOf(String sourceEnding) {
    return dockerfile.copies().stream()
        .filter(copy -> copy.from() != null && copy.sources().get(0).endsWith(sourceEnding))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no COPY --from of *" + sourceEnding));
  }
}
