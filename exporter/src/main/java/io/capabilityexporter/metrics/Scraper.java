package io.capabilityexporter.metrics;

import io.capabilityexporter.probe.ProbeException;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * One scrape: bring the counters up to date, then render {@code capability_checks_total} and the
 * registry (the exporter's own metrics) in the asked format.
 */
public final class Scraper {
  static final String OPENMETRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8";
  static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
  private static final String EOF = "# EOF\n";

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

  /** OpenMetrics, or the Prometheus text format. */
  public Exposition scrape(boolean openMetrics) throws ProbeException {
    long start = System.nanoTime();
    try {
      counters.refresh();
    } finally {
      duration.record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
    }
    String contentType = openMetrics ? OPENMETRICS : PROMETHEUS_TEXT;
    String selfMetrics = registry.scrape(contentType);
    StringBuilder body = new StringBuilder(selfMetrics.length() + 160 * 1024);
    if (openMetrics && selfMetrics.endsWith(EOF)) {
      // OpenMetrics ends with "# EOF": the family goes before it.
      body.append(selfMetrics, 0, selfMetrics.length() - EOF.length());
      counters.write(body, true);
      body.append(EOF);
    } else {
      counters.write(body, openMetrics);
      body.append(selfMetrics);
    }
    return new Exposition(contentType, body.toString());
  }
}
