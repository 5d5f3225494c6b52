package io.capabilityexporter.expected;

import io.capabilityexporter.files.FilePoller;
import io.capabilityexporter.files.FileStamp;
import io.capabilityexporter.files.ReloadMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The policy from {@code --config}, re-read when the file changes (polled) or when asked ({@link
 * #reload}, for SIGHUP). A file that does not load leaves the previous policy in force, as
 * Prometheus and Alertmanager do, and says so in the log and in:
 *
 * <pre>
 * capability_exporter_config_last_reload_successful 0.0
 * capability_exporter_config_last_reload_success_timestamp_seconds 1.7954643E9
 * capability_exporter_config_reloads_total{result="failure"} 1.0
 * capability_exporter_config_reloads_total{result="success"} 3.0
 * </pre>
 */
public final class PolicyReloader implements Supplier<Policy>, AutoCloseable {
  /** A ConfigMap update reaches the node's volume within about a minute; this adds little. */
  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(5);

  private static final System.Logger LOG = System.getLogger(PolicyReloader.class.getName());

  private final Path file;
  private FilePoller poller;
  private final ReloadMetrics reloads;
  private volatile Policy policy;
  private FileStamp stamp;

  private PolicyReloader(Path file, Policy policy, FileStamp stamp, MeterRegistry registry) {
    this.file = file;
    this.policy = policy;
    this.stamp = stamp;
    this.reloads =
        new ReloadMetrics(registry, "capability.exporter.config", "the policy file", "--config");
  }

  /**
   * Loads the policy file and polls it for changes every {@link #DEFAULT_POLL_INTERVAL}.
   *
   * @throws PolicyException the file does not load at start-up (the exporter exits 2)
   */
  public static PolicyReloader start(Path file, MeterRegistry registry) throws PolicyException {
    return start(file, registry, DEFAULT_POLL_INTERVAL);
  }

  /**
   * @param pollInterval how often to look at the file's modification time, size and inode
   */
  public static PolicyReloader start(Path file, MeterRegistry registry, Duration pollInterval)
      throws PolicyException {
    FileStamp stamp = FileStamp.of(file);
    PolicyReloader reloader = new PolicyReloader(file, Policy.load(file), stamp, registry);
    reloader.poller =
        FilePoller.every(
            pollInterval, "policy-reload", file + ": reloading the policy", reloader::poll);
    return reloader;
  }

  /** The policy in force. */
  @Override
  public Policy get() {
    return policy;
  }

  /**
   * Re-reads the file. On failure the policy in force stays, and the error is logged and counted.
   *
   * @return whether the file loaded
   */
  public synchronized boolean reload() {
    // Stamped before reading: a change while reading is seen by the next poll, not lost.
    stamp = FileStamp.of(file);
    try {
      policy = Policy.load(file);
      reloads.succeeded();
      LOG.log(
          Level.INFO,
          file + ": loaded " + policy.size() + (policy.size() == 1 ? " rule" : " rules"));
      return true;
    } catch (PolicyException e) {
      reloads.failed();
      LOG.log(Level.ERROR, e.getMessage() + "; the previous policy stays in force");
      return false;
    }
  }

  /** Reloads when the file changed; a file that stays broken is reported once. */
  private void poll() {
    boolean changed;
    synchronized (this) {
      changed = !FileStamp.of(file).equals(stamp);
    }
    if (changed) {
      reload();
    }
  }

  /** Stops polling. */
  @Override
  public void close() {
    poller.close();
  }
}
