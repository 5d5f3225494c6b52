package io.capabilityexporter.probe;

import java.util.Optional;

/**
 * Why a native library did not load, in words that lead to the fix. Three different failures look
 * alike (each an UnsatisfiedLinkError): JNA's own stub, libjnidispatch.so, which every native call
 * goes through; a library of the exporter's that JNA unpacks from the jar (libthreadcaps.so); and a
 * library of the system's (libbpf.so.1). The first two fail where JNA unpacks them (a /tmp mounted
 * noexec, as Docker's --tmpfs mounts it), the last when it is not installed.
 */
public final class NativeLoading {
  private static final int MAX_DETAIL = 300;

  private NativeLoading() {}

  /**
   * Empty when JNA's native stub is loaded (loading it now if it is not yet), else what failed and
   * the fix.
   */
  public static Optional<String> jnaStubProblem() {
    try {
      Class.forName("com.sun.jna.Native", true, NativeLoading.class.getClassLoader());
      return Optional.empty();
    } catch (LinkageError e) {
      // UnsatisfiedLinkError from the class's initializer the first time, NoClassDefFoundError
      // (caused by that error) every time after.
      return Optional.of(jnaStub(e));
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException("JNA is missing from the jar", e);
    }
  }

  /**
   * Before the first native call, which is often a file's read ({@code UntrustedFile} opens through
   * JNA): JNA's stub loaded, else why not and the fix, rather than an UnsatisfiedLinkError's trace.
   *
   * @throws ProbeException the stub cannot load (a /tmp mounted noexec, say): the message says so
   */
  public static void requireJnaStub() throws ProbeException {
    Optional<String> jna = jnaStubProblem();
    if (jna.isPresent()) {
      throw new ProbeException(jna.get());
    }
  }

  static String jnaStub(Throwable e) {
    return "JNA cannot load its native stub libjnidispatch.so (" + detail(e) + "). " + whereJna();
  }

  /** A library in the jar, {@code libthreadcaps.so}, that JNA unpacked and could not load. */
  public static String unpacked(String library, Throwable e) {
    return "cannot load the native helper " + library + " (" + detail(e) + "). " + whereJna();
  }

  /** A library of the system's, {@code name} in file {@code file}, that JNA could not load. */
  static String system(String name, String file, String install, Throwable e) {
    if (String.valueOf(e.getMessage()).contains(file + ": cannot open shared object file")) {
      return name + " is not installed (" + file + " not found): " + install;
    }
    return file + " does not load (" + detail(e) + "): " + install;
  }

  private static String whereJna() {
    return "JNA unpacks native libraries from the jar into -Djna.tmpdir, else ~/.cache/JNA/temp,"
        + " else java.io.tmpdir ("
        + System.getProperty("java.io.tmpdir")
        + "), which must be writable and mounted without noexec: mount /tmp exec (a Kubernetes"
        + " emptyDir is; Docker's --tmpfs /tmp is noexec unless given :exec), or set"
        + " JAVA_OPTS=-Djna.tmpdir=DIR to a directory that is";
  }

  /**
   * The first line of the deepest message that is not a heading (JNA's "Unable to load library
   * 'X':" precedes what each place it looked in said): a NoClassDefFoundError's cause holds the
   * original error, which the JVM reports as "Exception java.lang.UnsatisfiedLinkError: ... [in
   * thread ...]".
   */
  static String detail(Throwable e) {
    Throwable deepest = e;
    while (deepest.getCause() != null && deepest.getCause() != deepest) {
      deepest = deepest.getCause();
    }
    String message =
        String.valueOf(deepest.getMessage())
            .lines()
            .filter(line -> !line.endsWith(":"))
            .findFirst()
            .orElse("");
    message = message.replaceFirst("^Exception java\\.lang\\.\\w+: ", "");
    message = message.replaceFirst(" \\[in thread \"[^\"]*\"]$", "");
    return message.length() > MAX_DETAIL ? message.substring(0, MAX_DETAIL) + "..." : message;
  }
}
