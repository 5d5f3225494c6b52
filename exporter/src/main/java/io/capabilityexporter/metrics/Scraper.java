package io.capabilityexporter.metrics;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.capabilityexporter.probe.ProbeException;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

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

  /** OpenMetrics, or the Prometheus text format, as one string (tests; a few series). */
  public Exposition scrape(boolean openMetrics) throws ProbeException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    try {
      String contentType = scrape(openMetrics, body);
      return new Exposition(contentType, body.toString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a byte array does not fail
    }
  }

  /**
   * Writes one scrape to {@code out} as it is made (a churned node's hundreds of thousands of
   * series are never one string on the heap), and returns its Content-Type.
   */
  public String scrape(boolean openMetrics, OutputStream out) throws ProbeException, IOException {
    long start = System.nanoTime();
    try {
      counters.refresh();
    } finally {
      duration.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
    }
    String contentType = openMetrics ? OPENMETRICS : PROMETHEUS_TEXT;
    String selfMetrics = registry.scrape(contentType);
    BufferedOutputStream body = new BufferedOutputStream(out, 64 << 10);
    if (openMetrics && selfMetrics.endsWith(EOF)) {
      // OpenMetrics ends with "# EOF": the family goes before it.
      body.write(selfMetrics.substring(0, selfMetrics.length() - EOF.length()).getBytes(UTF_8));
      counters.write(body, true);
      body.write(EOF.getBytes(UTF_8));
    } else {
      counters.write(body, openMetrics);
      body.write(selfMetrics.getBytes(UTF_8));
    }
    body.flush();
    return contentType;
  }
}
