package io.capabilityexporter.probe;

import com.sun.jna.Library;
import com.sun.jna.Native;

/**
 * libbpf parses the kernel's BTF to load the program (some 16 MiB of the native heap here) and
 * frees it once loaded; glibc keeps freed memory in the process until asked to give it back, and on
 * a node every MiB of the exporter's is taken from the workloads.
 */
public final class NativeHeap {
  private interface CLib extends Library {
    int malloc_trim(long pad);
  }

  private NativeHeap() {}

  /** Returns the native heap's free pages to the kernel (glibc's malloc_trim); best effort. */
  public static void giveBack() {
    try {
      Native.load("c", CLib.class).malloc_trim(0);
    } catch (UnsatisfiedLinkError e) {
      // Not glibc (musl has no malloc_trim): nothing to give back this way.
    }
  }
}
