package io.capabilityexporter;

import io.capabilityexporter.events.EventDecoder;
import io.capabilityexporter.expected.Policy;
import io.capabilityexporter.expected.PolicyException;
import io.capabilityexporter.expected.PolicyReloader;
import io.capabilityexporter.expected.RuleExpectations;
import io.capabilityexporter.logs.OtlpLogs;
import io.capabilityexporter.metrics.CheckCounters;
import io.capabilityexporter.metrics.Scraper;
import io.capabilityexporter.metrics.SelfMetrics;
import io.capabilityexporter.probe.Probe;
import io.capabilityexporter.probe.ProbeException;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

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
  private final PolicyReloader policy;

  private Exporter(
      Probe probe,
      PrometheusMeterRegistry registry,
      Scraper scraper,
      OtlpLogs logs,
      NodeAttribution attribution,
      PolicyReloader policy) {
    this.probe = probe;
    this.registry = registry;
    this.scraper = scraper;
    this.logs = logs;
    this.attribution = attribution;
    this.policy = policy;
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
    return start(options, lifetimes, version, environment, null);
  }

  /**
   * As above, with the policy file {@code policyFile} (null: none) deciding, with the pods'
   * annotations and specs, which checks are expected; it is re-read when it changes.
   *
   * @throws IllegalArgumentException also when the policy file is invalid: the message names the
   *     file, the line, the field and the fix
   */
  public static Exporter start(
      Probe.Options options,
      CheckCounters.Lifetimes lifetimes,
      String version,
      Map<String, String> environment,
      Path policyFile)
      throws ProbeException {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    PolicyReloader policy;
    try {
      policy = policyFile == null ? null : PolicyReloader.start(policyFile, registry);
    } catch (PolicyException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    Supplier<Policy> rules = policy == null ? () -> Policy.EMPTY : policy;
    OtlpLogs logs;
    try {
      logs = OtlpLogs.fromEnvironment(environment, registry, version);
    } catch (IllegalArgumentException e) {
      closeQuietly(policy);
      throw e;
    }
    NodeAttribution attribution;
    try {
      attribution = NodeAttribution.forEnvironment(environment, registry);
    } catch (IllegalStateException e) {
      logs.close();
      closeQuietly(policy);
      throw new ProbeException(e.getMessage());
    } catch (IllegalArgumentException e) {
      logs.close();
      closeQuietly(policy);
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
      closeQuietly(policy);
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
              new RuleExpectations(rules, attribution.pods()),
              registry,
              lifetimes,
              System::nanoTime);
      SelfMetrics.register(registry, version, probe, counters);
      return new Exporter(
          probe, registry, new Scraper(registry, counters), logs, attribution, policy);
    } catch (IllegalStateException | IOException | ProbeException e) {
      probe.close();
      logs.close();
      attribution.close();
      closeQuietly(policy);
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

  /**
   * Re-reads the policy file (SIGHUP); a bad file keeps the policy in force, logged and counted.
   * Counts are not touched. False when the file did not load, or there is none.
   */
  public boolean reloadPolicy() {
    return policy != null && policy.reload();
  }

  private static void closeQuietly(PolicyReloader policy) {
    if (policy != null) {
      policy.close();
    }
  }

  /** Detaches the BPF program and frees its maps, then flushes the OTLP records still queued. */
  @Override
  public void close() {
    probe.close();
    logs.close();
    attribution.close();
    closeQuietly(policy);
    registry.close();
  }
}
