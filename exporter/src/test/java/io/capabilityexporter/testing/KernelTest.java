package io.capabilityexporter.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * A test that needs root on the real kernel: it loads the BPF program, makes cgroups, reads
 * /proc/kallsyms or launches an exporter that does. {@code make unit} (Maven's {@code
 * -DexcludedGroups=kernel}) leaves these out so that the rest runs as any user; {@code make test}
 * runs them all.
 *
 * <p>A class all of whose tests need the kernel carries it on the class and is named {@code
 * *KernelTest}, or {@code *IT} when it launches the packaged exporter (failsafe runs those after
 * {@code package}); a class with a few such tests carries it on those methods ({@link
 * KernelTestNamesTest} keeps to this).
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Tag(KernelTest.TAG)
public @interface KernelTest {
  String TAG = "kernel";
}
