package io.capabilityexporter.node;

import io.capabilityexporter.attribution.CgroupResolver;
import io.capabilityexporter.events.CheckEvent;
import io.capabilityexporter.events.EventDecoder;
import io.capabilityexporter.expected.Policy;
import io.capabilityexporter.expected.PolicyException;
import io.capabilityexporter.expected.PolicyReloader;
import io.capabilityexporter.expected.RuleExpectations;
import io.capabilityexporter.http.JsonBody;
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
  private final ProfileKeeping profiles;

  private Exporter(
      Probe probe,
      PrometheusMeterRegistry registry,
      Scraper scraper,
      OtlpLogs logs,
      NodeAttribution attribution,
      PolicyReloader policy,
      ProfileKeeping profiles) {
    this.probe = probe;
    this.registry = registry;
    this.scraper = scraper;
    this.logs = logs;
    this.attribution = attribution;
    this.policy = policy;
    this.profiles = profiles;
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
    return start(options, lifetimes, version, environment, Files.NONE);
  }

  /**
   * The files the exporter reads and keeps, each optional (null).
   *
   * @param policy the policy file (README, "The policy file")
   * @param profiles where per-workload profiles are kept across restarts; recording them turns
   *     check events on
   */
  public record Files(Path policy, Path profiles) {
    public static final Files NONE = new Files(null, null);
  }

  /**
   * As above, with the policy file deciding, with the pods' annotations and specs, which checks are
   * expected (re-read when it changes), and profiles recorded when {@code files} asks.
   *
   * @throws IllegalArgumentException also when the policy file is invalid: the message names the
   *     file, the line, the field and the fix
   */
  public static Exporter start(
      Probe.Options options,
      CheckCounters.Lifetimes lifetimes,
      String version,
      Map<String, String> environment,
      Files files)
      throws ProbeException {
    Path policyFile = files.policy();
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
    boolean eventsWanted = logs.enabled() || files.profiles() != null;
    if (!logs.enabled()) {
      // Profiles leave noaudit checks out: most checks on a host are the SYS_ADMIN probe of an
      // mmap, and the kernel need not fold or send them.
      events = events.auditedOnly(true);
    }
    Probe probe;
    try {
      probe = Probe.attach(options.withEvents(eventsWanted ? events : Probe.Events.OFF));
    } catch (ProbeException e) {
      logs.close();
      attribution.close();
      closeQuietly(policy);
      throw e;
    }
    ProfileKeeping profiles = null;
    try {
      attribution.follow(probe);
      if (files.profiles() != null) {
        profiles =
            ProfileKeeping.start(
                files.profiles(),
                attribution.pods(),
                attribution.attributor(),
                lifetimes.attributionGrace());
      }
      if (eventsWanted) {
        EventDecoder decoder = EventDecoder.forThisHost(probe, attribution.attributor(), false);
        ProfileKeeping recording = profiles;
        probe.startEvents(
            record -> {
              CheckEvent event = decoder.decode(record);
              logs.emit(event);
              if (recording != null) {
                recording.record(event);
              }
            });
      }
      CheckCounters counters =
          new CheckCounters(
              probe,
              new CgroupResolver(attribution.attributor(), lifetimes.attributionGrace(), registry),
              new RuleExpectations(rules, attribution.pods()),
              lifetimes.seriesGrace(),
              System::nanoTime);
      SelfMetrics.register(registry, version, probe, counters);
      return new Exporter(
          probe, registry, new Scraper(registry, counters), logs, attribution, policy, profiles);
    } catch (IOException | ProbeException | RuntimeException e) {
      // Whatever failed, the program is detached and nothing started here keeps running.
      probe.close();
      if (profiles != null) {
        profiles.close();
      }
      logs.close();
      attribution.close();
      closeQuietly(policy);
      if (e instanceof RuntimeException runtime && !(e instanceof IllegalStateException)) {
        throw runtime;
      }
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

  /** The recorded profiles as JSON ({@code /api/v1/profiles}); empty when profiles are off. */
  public Optional<JsonBody> profilesJson() {
    return Optional.ofNullable(profiles).map(p -> p::json);
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
    probe.close(); // no more events after this
    if (profiles != null) {
      profiles.close(); // the last save
    }
    logs.close();
    attribution.close();
    closeQuietly(policy);
    registry.close();
  }
}
