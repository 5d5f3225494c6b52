package io.capabilityexporter.probe;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Each kind of native-loading failure is named as what it is, with its own fix, from the errors JNA
 * and the JVM really throw (their messages as seen with a noexec jna.tmpdir and without libbpf).
 */
class NativeLoadingTest {
  private static final String STUB =
      "/tmp/jna4075293174260488458.tmp: /tmp/jna4075293174260488458.tmp: failed to map segment"
          + " from shared object";

  @Test
  void jnas_stub_failing_names_the_stub_where_jna_unpacks_it_and_the_fix() {
    String message = NativeLoading.jnaStub(new UnsatisfiedLinkError(STUB));
    assertThat(message)
        .startsWith("JNA cannot load its native stub libjnidispatch.so (" + STUB + ")")
        .contains("java.io.tmpdir (" + System.getProperty("java.io.tmpdir") + ")")
        .contains("mounted without noexec")
        .contains("mount /tmp exec")
        .contains("JAVA_OPTS=-Djna.tmpdir=DIR")
        .doesNotContain("libbpf");
  }

  @Test
  void after_the_first_failure_the_jvm_reports_it_as_the_cause_and_it_is_still_named() {
    // What the JVM throws at every later use of a class whose initializer failed.
    NoClassDefFoundError later =
        new NoClassDefFoundError("Could not initialize class com.sun.jna.Native");
    later.initCause(
        new ExceptionInInitializerError(
            "Exception java.lang.UnsatisfiedLinkError: " + STUB + " [in thread \"main\"]"));
    assertThat(NativeLoading.jnaStub(later))
        .startsWith("JNA cannot load its native stub libjnidispatch.so (" + STUB + ")");
  }

  @Test
  void the_jars_own_helper_failing_says_the_same_about_where_jna_unpacks_it() {
    String message =
        NativeLoading.unpacked(
            "libthreadcaps.so",
            new UnsatisfiedLinkError("/tmp/jna-1/jna123.tmp: failed to map segment"));
    assertThat(message)
        .startsWith("cannot load the native helper libthreadcaps.so (/tmp/jna-1/jna123.tmp:")
        .contains("mounted without noexec", "JAVA_OPTS=-Djna.tmpdir=DIR");
  }

  @Test
  void a_missing_system_library_is_not_installed_and_another_failure_is_quoted() {
    UnsatisfiedLinkError missing =
        new UnsatisfiedLinkError(
            "Unable to load library 'libbpf.so.1':\n"
                + "libbpf.so.1: cannot open shared object file: No such file or directory\n"
                + "Native library (linux-x86-64/libbpf.so.1) not found in resource path");
    assertThat(NativeLoading.system("libbpf", "libbpf.so.1", "apt-get install libbpf1", missing))
        .isEqualTo("libbpf is not installed (libbpf.so.1 not found): apt-get install libbpf1");
    UnsatisfiedLinkError wrong =
        new UnsatisfiedLinkError(
            "Unable to load library 'libbpf.so.1':\n/usr/lib/libbpf.so.1: wrong ELF class");
    assertThat(NativeLoading.system("libbpf", "libbpf.so.1", "apt-get install libbpf1", wrong))
        .isEqualTo(
            "libbpf.so.1 does not load (/usr/lib/libbpf.so.1: wrong ELF class):"
                + " apt-get install libbpf1");
  }

  @Test
  void here_the_stub_loads() {
    assertThat(NativeLoading.jnaStubProblem()).isEmpty();
  }
}
