package io.capabilityexporter.cluster;

/**
 * One exporter of the DaemonSet.
 *
 * @param node the node it runs on; empty while it is not scheduled
 * @param phase its pod's phase: only a Running one can answer
 */
public record ExporterPod(String name, String node, String phase) {
  public boolean running() {
    return "Running".equals(phase);
  }

  /** {@code node-a (capability-exporter-x7k2p)}. */
  public String title() {
    return (node.isEmpty() ? "(unscheduled)" : node) + " (" + name + ")";
  }
}
