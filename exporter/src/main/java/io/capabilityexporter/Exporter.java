package io.capabilityexporter;

import io.capabilityexporter.events.EventDecoder;
import io.capabilityexporter.expected.Expectations;
import io.capabilityexporter.logs.OtlpLogs;
import io.capabilityexporter.metrics.CheckCounters;
import io.capabilityexporter.metrics.Scraper;
import io.capabilityexporter.metrics.SelfMetrics;
import io.capabilityexporter.probe.Probe;
import io.capabilityexporter.probe.ProbeException;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The exporter without its HTTP server: the probe attached, the attribution and the metrics
 * registry wired together. {@code run} serves {@link #scraper()}; tests call it directly.
 */
public final class Exporter implements AutoCloseable {
  /** One OTLP record per (cgroup, process, capability, verdict, syscall) a second at most. */
  static final Duration EVENT_WINDOW = Duration.ofSeconds(1);

  private final Probe probe;
  private final PrometheusMeterRegistry registry;
  private final Scraper scraper;
  private final OtlpLogs logs;
  private final NodeAttribution attribution;

  private Exporter(
      Probe probe,
      PrometheusMeterRegistry registry,
      Scraper scraper,
      OtlpLogs logs,
      NodeAttribution attribution) {
    this.probe = probe;
    this.registry = registry;
    this.scraper = scraper;
    this.logs = logs;
    this.attribution = attribution;
  }

  /**
   * Attaches the probe; fails with a message that says what is missing and the fix. Check events go
   * out as OTLP log records when {@code environment}'s OTEL_* variables configure an endpoint;
   * otherwise the kernel sends none. With {@code KUBECONFIG} or in a pod ({@code
   * KUBERNETES_SERVICE_HOST}), checks are attributed to the pods of node {@code NODE_NAME}.
   *
   * @throws IllegalArgumentException an OTEL_* variable or the Kubernetes environment is invalid
   *     (named in the message)
   */
  public static Exporter start(
      Probe.Options options,
      CheckCounters.Lifetimes lifetimes,
      String version,
      Map<String, String> environment)
      throws ProbeException {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    OtlpLogs logs = OtlpLogs.fromEnvironment(environment, registry, version);
    NodeAttribution attribution;
    try {
      attribution = NodeAttribution.forEnvironment(environment, registry);
    } catch (IllegalStateException e) {
      logs.close();
      throw new ProbeException(e.getMessage());
    } catch (IllegalArgumentException e) {
      logs.close();
      throw e;
    }
    Probe.Events events =
        options.events().enabled() ? options.events() : Probe.Events.on(EVENT_WINDOW, false);
    Probe probe;
    try {
      probe = Probe.attach(options.withEvents(logs.enabled() ? events : Probe.Events.OFF));
    } catch (ProbeException e) {
      logs.close();
      attribution.close();
      throw e;
    }
    try {
      if (logs.enabled()) {
        EventDecoder decoder = EventDecoder.forThisHost(probe, attribution.attributor(), false);
        probe.startEvents(record -> logs.emit(decoder.decode(record)));
      }
      CheckCounters counters =
          new CheckCounters(
              probe,
              attribution.attributor(),
              Expectations.noauditOnly(),
              registry,
              lifetimes,
              System::nanoTime);
      SelfMetrics.register(registry, version, probe, counters);
      return new Exporter(probe, registry, new Scraper(registry, counters), logs, attribution);
    } catch (IllegalStateException | IOException | ProbeException e) {
      probe.close();
      logs.close();
      attribution.close();
      throw new ProbeException(e.getMessage());
    }
  }

  /** Without OTLP: counters only. */
  public static Exporter start(
      Probe.Options options, CheckCounters.Lifetimes lifetimes, String version)
      throws ProbeException {
    return start(options, lifetimes, version, Map.of("OTEL_SDK_DISABLED", "true"));
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

  /**
   * Ready to be scraped: the probe is attached (it is from start on) and, in Kubernetes, the first
   * list of this node's pods has arrived, so series carry pod labels.
   */
  public boolean ready() {
    return attribution.synced();
  }

  /** The node whose pods are watched; empty outside Kubernetes. */
  public Optional<String> kubernetesNode() {
    return attribution.node();
  }

  /** Detaches the BPF program and frees its maps, then flushes the OTLP records still queued. */
  @Override
  public void close() {
    probe.close();
    logs.close();
    attribution.close();
    registry.close();
  }
}
