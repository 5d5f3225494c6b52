package io.capabilityexporter.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The tests that need the kernel are named one way and tagged, so unit runs can leave them out. */
class KernelTestNamesTest {
  @Test
  void a_class_is_named_kernel_test_exactly_when_all_its_tests_need_the_kernel() throws Exception {
    List<String> wrong = new ArrayList<>();
    for (Class<?> test : testClasses()) {
      if (test.isAnnotation() || java.lang.reflect.Modifier.isAbstract(test.getModifiers())) {
        continue; // KernelTest itself; a base class runs no test of its own (deploy/PlainHost)
      }
      String name = test.getSimpleName();
      boolean tagged = test.isAnnotationPresent(KernelTest.class);
      if (name.endsWith("KernelTest") && !tagged) {
        wrong.add(name + ": named *KernelTest, not tagged @KernelTest");
      }
      if (tagged && !(name.endsWith("KernelTest") || name.endsWith("IT") || name.endsWith("E2E"))) {
        wrong.add(name + ": tagged @KernelTest, so *KernelTest (or *IT, *E2E)");
      }
      if (name.contains("RealKernel")) {
        wrong.add(name + ": the old naming; *KernelTest");
      }
    }
    assertThat(wrong).isEmpty();
  }

  /** The top-level classes compiled from src/test/java. */
  private static List<Class<?>> testClasses() throws Exception {
    Path root =
        Path.of(
            KernelTestNamesTest.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    List<Class<?>> classes = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
        String relative = root.relativize(file).toString();
        if (!relative.contains("$")) {
          String name = relative.substring(0, relative.length() - ".class".length());
          classes.add(Class.forName(name.replace('/', '.'), false, loader()));
        }
      }
    }
    assertThat(classes).extracting(Class::getSimpleName).contains("KernelTestNamesTest");
    return classes;
  }

  private static ClassLoader loader() {
    return KernelTestNamesTest.class.getClassLoader();
  }
}
