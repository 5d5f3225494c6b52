package io.capabilityexporter.profiles;

/**
 * How much of a container's life its profile saw, so a reader can tell a full recording from a
 * glimpse: a profile of one start that never stopped, or that began before the exporter did, may
 * lack what the program asks only at shutdown or at start.
 *
 * @param starts instances of the container (its cgroups) seen making checks
 * @param stops of those, how many the exporter saw end
 * @param execs exec sessions into it (kubectl exec, exec probes) the exporter saw enter
 * @param beforeExporter an instance was running before the exporter started: its start was missed
 */
public record Lifecycle(long starts, long stops, long execs, boolean beforeExporter) {
  /** Nothing known: a profile kept by a version that did not record it. */
  public static final Lifecycle UNKNOWN = new Lifecycle(0, 0, 0, false);

  public Lifecycle {
    if (starts < 0 || stops < 0 || execs < 0) {
      throw new IllegalArgumentException("negative count");
    }
  }
}
