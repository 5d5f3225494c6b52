package io.capabilityexporter.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * deploy/Dockerfile, read: what can be checked without building it. The files it copies out of the
 * build stage exist once the jar is packaged (DaemonSetOnThisKernelIT); `make e2e` builds the image
 * and runs it (e2e/).
 */
class DockerfileTest {
  private static final String PREBUILT = "prebuilt";
  private static Dockerfile dockerfile;

  @BeforeAll
  static void read() throws Exception {
    dockerfile = Dockerfile.read();
  }

  /**
   * Dockerfile.dockerignore's patterns: a path or, with a leading double star, a name anywhere; a
   * leading "!" lets back in what an earlier pattern left out. The last pattern that matches wins.
   */
  private static boolean ignored(String path, List<String> patterns) {
    boolean ignored = false;
    for (String line : patterns) {
      boolean exception = line.startsWith("!");
      String pattern = exception ? line.substring(1) : line;
      boolean matches;
      if (pattern.startsWith("**/")) {
        String name = pattern.substring(3);
        matches = ("/" + path + "/").contains("/" + name + "/");
      } else {
        matches = path.equals(pattern) || path.startsWith(pattern + "/");
      }
      if (matches) {
        ignored = !exception;
      }
    }
    return ignored;
  }

  private static List<String> ignorePatterns() throws Exception {
    return Files.readAllLines(Deploy.DIR.resolve("Dockerfile.dockerignore")).stream()
        .map(String::strip)
        .filter(line -> !line.isEmpty() && !line.startsWith("#"))
        .toList();
  }

  @Test
  void copies_from_the_build_context_only_what_the_repository_holds() throws Exception {
    List<String> ignore = ignorePatterns();
    List<Dockerfile.Copy> fromContext =
        dockerfile.copies().stream().filter(copy -> copy.from() == null).toList();
    assertThat(fromContext).isNotEmpty();
    for (Dockerfile.Copy copy : fromContext) {
      for (String source : copy.sources()) {
        String path = source.replaceAll("/+$", "");
        // The prebuilt stage's files are build output: there after `package`
        // (DaemonSetOnThisKernelIT), not yet when this test runs.
        if (!copy.stage().equals(PREBUILT)) {
          assertThat(Deploy.ROOT.resolve(path)).as("COPY " + source).exists();
        }
        assertThat(ignored(path, ignore)).as("COPY " + source + " is in .dockerignore").isFalse();
      }
    }
    // What the ignore file keeps out stays out around the file it lets back in.
    assertThat(ignored("exporter/target/classes/Main.class", ignore)).isTrue();
    assertThat(ignored(".git/HEAD", ignore)).isTrue();
  }

  @Test
  void the_prebuilt_stage_holds_the_files_the_source_stage_builds_where_it_builds_them() {
    // FROM ${JAR} AS build: the run stage copies from whichever --build-arg JAR names.
    assertThat(dockerfile.base("build")).isEqualTo("${JAR}");
    assertThat(dockerfile.globalArguments()).containsEntry("JAR", "source");
    assertThat(dockerfile.base(PREBUILT)).isEqualTo("scratch");
    List<Dockerfile.Copy> fromBuild =
        dockerfile.copies().stream().filter(copy -> copy.from() != null).toList();
    List<Dockerfile.Copy> prebuilt =
        dockerfile.copies().stream().filter(copy -> copy.stage().equals(PREBUILT)).toList();
    String workdir = dockerfile.workdir(PREBUILT);
    // Each file the run stage takes is copied into the prebuilt stage, under its WORKDIR, from the
    // place in the repository where the source stage builds it; and nothing else is.
    List<String> holds = new ArrayList<>();
    for (Dockerfile.Copy copy : prebuilt) {
      assertThat(copy.sources()).hasSize(1);
      assertThat(copy.destination()).endsWith("/");
      String source = copy.sources().get(0);
      assertThat(copy.destination() + Path.of(source).getFileName()).isEqualTo(source);
      holds.add(workdir + "/" + source);
    }
    assertThat(holds)
        .containsExactlyInAnyOrderElementsOf(
            fromBuild.stream().map(copy -> copy.sources().get(0)).toList());
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
    // By default "build" is the source stage, which runs the build.
    String source = dockerfile.resolve("build", dockerfile.globalArguments());
    assertThat(dockerfile.all("RUN"))
        .filteredOn(run -> source.equals(run.stage()))
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
