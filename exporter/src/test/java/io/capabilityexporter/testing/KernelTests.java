package io.capabilityexporter.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.capabilityexporter.probe.Count;
import io.capabilityexporter.probe.CountKey;
import io.capabilityexporter.probe.Probe;
import io.capabilityexporter.probe.ProbeException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;

/** Runs the test helper programs (src/test/c) that make real capability checks. */
public final class KernelTests {
  /** Capability numbers the tests use. */
  public static final int CAP_SYS_CHROOT = 18;

  private KernelTests() {}

  /** Fails a test that needs root but is not tagged so, then one not run as root. */
  public static void requireRoot() {
    boolean tagged =
        StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE)
            .walk(frames -> frames.anyMatch(KernelTests::taggedKernelTest));
    assertThat(tagged)
        .as(
            "a test that needs root is tagged @KernelTest (testing/KernelTest): `make unit` leaves"
                + " it out")
        .isTrue();
    assertThat(System.getProperty("user.name"))
        .as(
            "the kernel tests load BPF programs and make cgroups: run `make test` as root, or"
                + " `make unit` to leave them out")
        .isEqualTo("root");
  }

  /** A frame of a method tagged @KernelTest, or of a class so tagged (or nested in one). */
  private static boolean taggedKernelTest(StackWalker.StackFrame frame) {
    for (Class<?> c = frame.getDeclaringClass(); c != null; c = c.getEnclosingClass()) {
      if (c.isAnnotationPresent(KernelTest.class)) {
        return true;
      }
    }
    return Arrays.stream(frame.getDeclaringClass().getDeclaredMethods())
        .anyMatch(
            method ->
                method.getName().equals(frame.getMethodName())
                    && method.isAnnotationPresent(KernelTest.class));
  }

  public static Path helper(String name) {
    Path path = Path.of(System.getProperty("test.helpers", "target/test-helpers"), name);
    assertThat(path).as("test helper built by the Maven build").isExecutable();
    return path;
  }

  /**
   * Runs {@code trigger [--cgroup DIR] [--drop CAP] SYSCALL COUNT} and returns its summary ("N
   * allowed M denied").
   */
  public static String trigger(TestCgroup cgroup, Integer drop, String syscall, long count)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(helper("trigger").toString()));
    if (cgroup != null) {
      command.addAll(List.of("--cgroup", cgroup.directory().toString()));
    }
    if (drop != null) {
      command.addAll(List.of("--drop", drop.toString()));
    }
    command.addAll(List.of(syscall, Long.toString(count)));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("trigger finished").isTrue();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.exitValue()).as(output).isZero();
    return output.strip();
  }

  /** The BPF programs of this name loaded in the kernel right now, per bpftool. */
  public static long loadedPrograms(String name) throws IOException, InterruptedException {
    Process process = new ProcessBuilder("bpftool", "prog", "show").start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return output.lines().filter(line -> line.contains(" name " + name + " ")).count();
  }

  public static String read(Path path) throws IOException {
    return Files.readString(path);
  }

  /** The kernel's counts of one cgroup whose key {@code which} takes, summed by {@code name}. */
  public static Map<String, Long> counts(
      Probe probe, TestCgroup cgroup, Predicate<CountKey> which, Function<CountKey, String> name)
      throws ProbeException {
    Map<String, Long> counts = new HashMap<>();
    for (Count count : probe.readCounts().counts()) {
      CountKey key = count.key();
      if (key.cgroupId() == cgroup.id() && which.test(key)) {
        counts.merge(name.apply(key), count.total(), Long::sum);
      }
    }
    return counts;
  }
}
