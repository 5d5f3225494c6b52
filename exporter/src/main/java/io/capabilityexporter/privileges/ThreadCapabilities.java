package io.capabilityexporter.privileges;

import com.sun.jna.Library;
import com.sun.jna.Native;

/**
 * Sets the capabilities of any thread of this process, through {@code src/main/c/threadcaps.c}
 * (shipped in the jar): Linux keeps capabilities per thread, and only a thread can change its own.
 */
final class ThreadCapabilities {
  private interface Native_ extends Library {
    int threadcaps_prepare(long keep, long dropBounding);

    int threadcaps_set_effective(long effective);

    int threadcaps_apply(int tid, int timeoutMs);
  }

  private static final int APPLY_TIMEOUT_MS = 1000;

  private final Native_ lib;

  private ThreadCapabilities(Native_ lib) {
    this.lib = lib;
  }

  /**
   * @throws UnsatisfiedLinkError the library cannot be loaded (JNA extracts it to {@code
   *     java.io.tmpdir} or {@code jna.tmpdir}, which must allow executing)
   */
  static ThreadCapabilities load() {
    return new ThreadCapabilities(Native.load("threadcaps", Native_.class));
  }

  /** Which capabilities {@link #apply} leaves: permitted and effective {@code keep}, no others. */
  void prepare(long keep, long dropFromBoundingSet) throws PrivilegeException {
    check(lib.threadcaps_prepare(keep, dropFromBoundingSet), "installing the signal handler");
  }

  /** The calling thread's effective set, within its permitted set, which stays as it is. */
  void setEffective(long effective) throws PrivilegeException {
    check(lib.threadcaps_set_effective(effective), "capset(2) of the effective set");
  }

  /** 0, or the errno value of the failure (3 ESRCH: the thread has ended). */
  int apply(int tid) {
    return lib.threadcaps_apply(tid, APPLY_TIMEOUT_MS);
  }

  static final int ESRCH = 3;
  static final int ETIMEDOUT = 110;

  private static void check(int errno, String what) throws PrivilegeException {
    if (errno != 0) {
      throw new PrivilegeException(what + " failed: errno " + errno);
    }
  }
}
