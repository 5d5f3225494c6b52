package io.capabilityexporter.metrics;

import io.capabilityexporter.probe.ProbeException;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/** One scrape: bring the counters up to date, then render the registry in the asked format. */
public final class Scraper {
  static final String OPENMETRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8";
  static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private final PrometheusMeterRegistry registry;
  private final CheckCounters counters;
  private final Timer duration;

  /** The exposition and its Content-Type. */
  public record Exposition(String contentType, String body) {}

  public Scraper(PrometheusMeterRegistry registry, CheckCounters counters) {
    this.registry = registry;
    this.counters = counters;
    this.duration =
        Timer.builder("capability.exporter.scrape.duration")
            .description("Time to read the kernel's counts and update the series.")
            .register(registry);
  }

  /** Whether an Accept header asks for OpenMetrics rather than the Prometheus text format. */
  public static boolean wantsOpenMetrics(String accept) {
    return accept != null && accept.contains("application/openmetrics-text");
  }

  /** OpenMetrics when the Accept header asks for it, the Prometheus text format otherwise. */
  public Exposition scrape(String accept) throws ProbeException {
    return scrape(wantsOpenMetrics(accept));
  }

  public Exposition scrape(boolean openMetrics) throws ProbeException {
    long start = System.nanoTime();
    try {
      counters.refresh();
    } finally {
      duration.record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
    }
    String contentType = openMetrics ? OPENMETRICS : PROMETHEUS_TEXT;
    return new Exposition(contentType, registry.scrape(contentType));
  }
}
