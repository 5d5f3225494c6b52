package io.capabilityexporter.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.capabilityexporter.testing.Command;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bench/ builds against the tree as it is: nothing compiles it otherwise until someone runs {@code
 * make bench}, by then long after the change that broke it.
 */
class BenchSourcesTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Path BENCH = ROOT.resolve("bench");

  @TempDir Path dir;

  @Test
  void the_variants_patch_applies_to_the_program_and_every_variant_compiles() throws Exception {
    Path tree = dir.resolve("tree");
    try (Stream<Path> files = Files.list(ROOT.resolve("bpf"))) {
      Files.createDirectories(tree.resolve("bpf"));
      for (Path file : files.toList()) {
        Files.copy(file, tree.resolve("bpf").resolve(file.getFileName()));
      }
    }
    Command.Result patch =
        Command.run(
            tree,
            Duration.ofMinutes(1),
            "`make deps` installs it",
            List.of("patch", "-s", "-p1", "-i", BENCH.resolve("variants.patch").toString()));
    assertThat(patch.status())
        .as("bench/variants.patch no longer applies to bpf/capable.bpf.c: refresh it\n%s", patch)
        .isZero();

    for (List<String> flags : variantFlags()) {
      List<String> clang =
          new ArrayList<>(List.of("clang", "-g", "-O2", "-target", "bpf", "-mcpu=v3"));
      clang.add(
          "-D__TARGET_ARCH_" + (System.getProperty("os.arch").equals("aarch64") ? "arm64" : "x86"));
      clang.addAll(flags);
      clang.addAll(List.of("-c", "bpf/capable.bpf.c", "-o", dir.resolve("variant.o").toString()));
      Command.Result compiled = Command.run(tree, Duration.ofMinutes(2), "`make deps`", clang);
      assertThat(compiled.status()).as("variant %s\n%s", flags, compiled.output()).isZero();
    }
  }

  /** The -D flags of each variant, as bench/variants.sh's flags_of gives them. */
  private static List<List<String>> variantFlags() throws Exception {
    String script = Files.readString(BENCH.resolve("variants.sh"));
    Matcher variant = Pattern.compile("(?m)^\\s+\\w+\\) echo ?((?:-D\\w+ ?)*) ;;$").matcher(script);
    List<List<String>> flags = new ArrayList<>();
    while (variant.find()) {
      String words = variant.group(1).strip();
      flags.add(words.isEmpty() ? List.of() : List.of(words.split(" ")));
    }
    assertThat(flags).as("flags_of in bench/variants.sh").hasSizeGreaterThanOrEqualTo(5);
    return flags;
  }

  @Test
  void the_java_benchmarks_compile_against_the_exporter() throws Exception {
    List<String> sources;
    try (Stream<Path> files = Files.walk(BENCH)) {
      sources = files.filter(f -> f.toString().endsWith(".java")).map(Path::toString).toList();
    }
    assertThat(sources).isNotEmpty();
    List<String> arguments = new ArrayList<>();
    arguments.addAll(List.of("-d", dir.toString(), "-proc:none"));
    arguments.addAll(List.of("-cp", System.getProperty("java.class.path")));
    arguments.addAll(sources);
    var err = new java.io.ByteArrayOutputStream();
    int status =
        ToolProvider.getSystemJavaCompiler().run(null, null, err, arguments.toArray(new String[0]));
    assertThat(status).as("javac %s%n%s", String.join(" ", sources), err).isZero();
  }
}
