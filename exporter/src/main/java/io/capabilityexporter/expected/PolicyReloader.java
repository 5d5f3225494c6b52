package io.capabilityexporter.expected;

import io.capabilityexporter.files.ReloadMetrics;
import io.capabilityexporter.files.ReloadedFile;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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

  private final ReloadedFile<Policy> file;

  private PolicyReloader(ReloadedFile<Policy> file) {
    this.file = file;
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
    return new PolicyReloader(
        ReloadedFile.watch(
            file,
            Policy.load(file),
            new ReloadedFile.Kind<>(
                "policy",
                policy -> List.of(file),
                policy -> " " + policy.size() + (policy.size() == 1 ? " rule" : " rules"),
                System.getLogger(PolicyReloader.class.getName())),
            (path, running) -> Policy.load(path),
            new ReloadMetrics(
                registry, "capability.exporter.config", "the policy file", "--config"),
            pollInterval,
            "policy-reload"));
  }

  /** The policy in force. */
  @Override
  public Policy get() {
    return file.get();
  }

  /**
   * Re-reads the file. On failure the policy in force stays, and the error is logged and counted.
   *
   * @return whether the file loaded
   */
  public boolean reload() {
    return file.reload();
  }

  /** Stops polling. */
  @Override
  public void close() {
    file.close();
  }
}
