package io.capabilityexporter.cli;

import java.lang.System.Logger.Level;
import java.lang.reflect.Proxy;

/**
 * Runs an action on SIGHUP, the Unix way of asking a daemon to re-read its configuration. Java has
 * no public API for it: {@code sun.misc.Signal} (module jdk.unsupported, in every JDK) is reached
 * by reflection, since compiling against it warns and the build treats warnings as errors.
 */
final class HangupSignal {
  private static final System.Logger LOG = System.getLogger(HangupSignal.class.getName());

  private HangupSignal() {}

  static void onHangup(Runnable action) {
    try {
      Class<?> signal = Class.forName("sun.misc.Signal");
      Class<?> handler = Class.forName("sun.misc.SignalHandler");
      Object proxy =
          Proxy.newProxyInstance(
              handler.getClassLoader(),
              new Class<?>[] {handler},
              (self, method, args) ->
                  switch (method.getName()) {
                    case "handle" -> {
                      action.run();
                      yield null;
                    }
                    case "hashCode" -> System.identityHashCode(self);
                    case "equals" -> self == args[0];
                    default -> "SIGHUP handler";
                  });
      Object hup = signal.getConstructor(String.class).newInstance("HUP");
      signal.getMethod("handle", signal, handler).invoke(null, hup, proxy);
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.log(
          Level.WARNING,
          "SIGHUP cannot be caught in this JVM ("
              + e
              + "); the policy file is still re-read when it changes");
    }
  }
}
