package io.capabilityexporter.probe;

import com.sun.jna.Library;
import com.sun.jna.Native;

/** errno values as a person reads them: "errno 1: Operation not permitted". */
final class Errno {
  private interface CLib extends Library {
    String strerror(int errno);
  }

  private static final CLib C = Native.load("c", CLib.class);

  private Errno() {}

  /** The errno the last native call on this thread left. */
  static String describe() {
    return describe(Native.getLastError());
  }

  static String describe(int errno) {
    return "errno " + errno + ": " + C.strerror(errno);
  }
}
