package io.capabilityexporter;

import io.capabilityexporter.attribution.Attributor;
import io.capabilityexporter.attribution.HostAttributor;
import io.capabilityexporter.expected.Expectations;
import io.capabilityexporter.metrics.CheckCounters;
import io.capabilityexporter.metrics.Scraper;
import io.capabilityexporter.metrics.SelfMetrics;
import io.capabilityexporter.probe.Probe;
import io.capabilityexporter.probe.ProbeException;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The exporter without its HTTP server: the probe attached, the attribution and the metrics
 * registry wired together. {@code run} serves {@link #scraper()}; tests call it directly.
 */
public final class Exporter implements AutoCloseable {
  private final Probe probe;
  private final PrometheusMeterRegistry registry;
  private final Scraper scraper;

  private Exporter(Probe probe, PrometheusMeterRegistry registry, Scraper scraper) {
    this.probe = probe;
    this.registry = registry;
    this.scraper = scraper;
  }

  /** Attaches the probe; fails with a message that says what is missing and the fix. */
  public static Exporter start(
      Probe.Options options, CheckCounters.Lifetimes lifetimes, String version)
      throws ProbeException {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Probe probe = Probe.attach(options);
    Attributor attributor;
    try {
      attributor = HostAttributor.forThisHost();
    } catch (IllegalStateException e) {
      probe.close();
      throw new ProbeException(e.getMessage());
    }
    CheckCounters counters =
        new CheckCounters(
            probe, attributor, Expectations.noauditOnly(), registry, lifetimes, System::nanoTime);
    SelfMetrics.register(registry, version, probe, counters);
    return new Exporter(probe, registry, new Scraper(registry, counters));
  }

  public Probe probe() {
    return probe;
  }

  public Scraper scraper() {
    return scraper;
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** Detaches the BPF program and frees its maps. */
  @Override
  public void close() {
    probe.close();
    registry.close();
  }
}
