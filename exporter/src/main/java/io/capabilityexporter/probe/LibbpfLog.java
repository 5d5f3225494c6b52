package io.capabilityexporter.probe;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Receives libbpf's messages instead of letting it print to stderr, and keeps the last few so a
 * failed load can say why (the verifier's or libbpf's own words).
 */
final class LibbpfLog {
  private static final int LIBBPF_WARN = 0;
  private static final int KEPT = 8;
  private static final System.Logger LOG = System.getLogger("libbpf");

  private interface CLib extends Library {
    int vsnprintf(byte[] buffer, long size, String format, Pointer vaList);
  }

  private static final CLib C = Native.load("c", CLib.class);
  private static final Deque<String> RECENT = new ArrayDeque<>();

  // A static field: JNA callbacks must stay reachable for as long as libbpf may call them.
  private static final Libbpf.PrintFn PRINT =
      (level, format, vaList) -> {
        byte[] buffer = new byte[1024];
        int written = C.vsnprintf(buffer, buffer.length, format, vaList);
        int length = Math.max(0, Math.min(written, buffer.length - 1));
        String message = new String(buffer, 0, length, StandardCharsets.UTF_8).strip();
        if (level == LIBBPF_WARN) {
          remember(message);
          LOG.log(System.Logger.Level.DEBUG, message);
        }
        return 0;
      };

  private LibbpfLog() {}

  static void install(Libbpf libbpf) {
    libbpf.libbpf_set_print(PRINT);
  }

  private static synchronized void remember(String message) {
    if (RECENT.size() == KEPT) {
      RECENT.removeFirst();
    }
    RECENT.addLast(message);
  }

  /** The warnings since the last call, joined; empty when there were none. */
  static synchronized String drain() {
    String joined = String.join("; ", RECENT);
    RECENT.clear();
    return joined;
  }
}
