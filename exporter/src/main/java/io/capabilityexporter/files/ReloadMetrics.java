package io.capabilityexporter.files;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * What the re-reads of a file the exporter reloads came to, in the shape Prometheus and
 * Alertmanager give theirs, for every such file alike (here the policy file's):
 *
 * <pre>
 * capability_exporter_config_last_reload_successful 0.0
 * capability_exporter_config_last_reload_success_timestamp_seconds 1.7954643E9
 * capability_exporter_config_reloads_total{result="failure"} 1.0
 * capability_exporter_config_reloads_total{result="success"} 3.0
 * </pre>
 */
public final class ReloadMetrics {
  private final Counter successes;
  private final Counter failures;
  private volatile boolean lastSuccessful = true;
  private volatile double lastSuccessSeconds = nowSeconds();

  /**
   * Registers the metrics, as of a file loaded now at start-up.
   *
   * @param prefix the metrics' names before {@code .last.reload...} and {@code .reloads}: {@code
   *     capability.exporter.config}
   * @param file what the file is, for the descriptions: {@code the policy file}
   * @param flag the flag that names it: {@code --config}
   */
  public ReloadMetrics(MeterRegistry registry, String prefix, String file, String flag) {
    Gauge.builder(prefix + ".last.reload.successful", this, m -> m.lastSuccessful ? 1 : 0)
        .description("Whether the last load of " + file + " (" + flag + ") succeeded.")
        .strongReference(true)
        .register(registry);
    Gauge.builder(prefix + ".last.reload.success.timestamp", this, m -> m.lastSuccessSeconds)
        .description("When " + file + " was last loaded successfully, in Unix time.")
        .baseUnit("seconds")
        .strongReference(true)
        .register(registry);
    this.successes = reloads(registry, prefix, file, "success");
    this.failures = reloads(registry, prefix, file, "failure");
  }

  public void succeeded() {
    lastSuccessful = true;
    lastSuccessSeconds = nowSeconds();
    successes.increment();
  }

  /** The file in force before stays in force. */
  public void failed() {
    lastSuccessful = false;
    failures.increment();
  }

  private static Counter reloads(
      MeterRegistry registry, String prefix, String file, String result) {
    return Counter.builder(prefix + ".reloads")
        .description("Re-reads of " + file + " after start-up, by result.")
        .tag("result", result)
        .register(registry);
  }

  private static double nowSeconds() {
    return System.currentTimeMillis() / 1000.0;
  }
}
