package io.capabilityexporter.probe;

import com.sun.jna.Library;
import com.sun.jna.Native;

/**
 * membarrier(MEMBARRIER_CMD_GLOBAL): returns once every CPU has passed an RCU grace period, so a
 * BPF program that was running when its link was destroyed has finished.
 */
final class Membarrier {
  private static final long SYS_MEMBARRIER = 324; // x86-64; 283 on arm64
  private static final int MEMBARRIER_CMD_GLOBAL = 1;

  private interface CLib extends Library {
    long syscall(long number, Object... args);
  }

  private static final CLib C = Native.load("c", CLib.class);

  private Membarrier() {}

  /** Best effort: where the call is missing, a short sleep covers the same ground. */
  static void global() {
    long number = System.getProperty("os.arch").contains("aarch64") ? 283 : SYS_MEMBARRIER;
    if (C.syscall(number, MEMBARRIER_CMD_GLOBAL, 0) != 0) {
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
