package io.capabilityexporter.node;

import io.capabilityexporter.attribution.CgroupResolver;
import io.capabilityexporter.events.EventStreams;
import io.capabilityexporter.expected.Policy;
import io.capabilityexporter.expected.PolicyException;
import io.capabilityexporter.expected.PolicyReloader;
import io.capabilityexporter.expected.RuleExpectations;
import io.capabilityexporter.http.JsonBody;
import io.capabilityexporter.logs.OtlpLogs;
import io.capabilityexporter.metrics.CheckCounters;
import io.capabilityexporter.metrics.Reclaimer;
import io.capabilityexporter.metrics.Scraper;
import io.capabilityexporter.metrics.SelfMetrics;
import io.capabilityexporter.probe.EventOptions;
import io.capabilityexporter.probe.NativeLoading;
import io.capabilityexporter.probe.Probe;
import io.capabilityexporter.probe.ProbeException;
import io.capabilityexporter.probe.ProbeOptions;
import io.capabilityexporter.probe.Stat;
import io.capabilityexporter.profiles.ProfileLimits;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
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

  /** Everything start-up opened, closed in reverse at {@link #close()}. */
  private final Closer opened;

  private final Probe probe;
  private final PrometheusMeterRegistry registry;
  private final Scraper scraper;
  private final NodeAttribution attribution;
  private final PolicyReloader policy;
  private final Optional<ProfileKeeping> profiles;
  private final Optional<EventStreams> streams;

  private Exporter(
      Closer opened,
      Probe probe,
      PrometheusMeterRegistry registry,
      Scraper scraper,
      NodeAttribution attribution,
      PolicyReloader policy,
      Optional<ProfileKeeping> profiles,
      Optional<EventStreams> streams) {
    this.opened = opened;
    this.probe = probe;
    this.registry = registry;
    this.scraper = scraper;
    this.attribution = attribution;
    this.policy = policy;
    this.profiles = profiles;
    this.streams = streams;
  }

  /**
   * The files the exporter reads and keeps, each optional (null).
   *
   * @param policy the policy file (docs/configuration.md, "The policy file")
   * @param profiles where per-workload profiles are kept across restarts; recording them turns
   *     check events on
   * @param profileLimits how many workloads and containers of each the profiles keep
   */
  public record Files(Path policy, Path profiles, ProfileLimits profileLimits) {
    public Files(Path policy, Path profiles) {
      this(policy, profiles, ProfileLimits.DEFAULT);
    }
  }

  /**
   * Attaches the probe; fails with a message that says what is missing and the fix. Check events go
   * out as OTLP log records when {@code environment}'s OTEL_* variables configure an endpoint;
   * otherwise the kernel sends none. With {@code KUBECONFIG} or in a pod ({@code
   * KUBERNETES_SERVICE_HOST}), checks are attributed to the pods of node {@code NODE_NAME}. The
   * policy file decides, with the pods' annotations and specs, which checks are expected (re-read
   * when it changes); profiles are recorded when {@code files} asks.
   *
   * @throws IllegalArgumentException an OTEL_* variable, the Kubernetes environment or the policy
   *     file is invalid: the message names it (for the file: the line, the field and the fix)
   */
  public static Exporter start(
      ProbeOptions options,
      CheckCounters.Lifetimes lifetimes,
      String version,
      Map<String, String> environment,
      Files files)
      throws ProbeException {
    NativeLoading.requireJnaStub(); // the policy file is read through it
    Closer opened = new Closer();
    try {
      PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      opened.add(registry::close);
      PolicyReloader policy = null;
      if (files.policy() != null) {
        policy = PolicyReloader.start(files.policy(), registry);
        opened.add(policy::close);
      }
      Supplier<Policy> rules = policy == null ? () -> Policy.EMPTY : policy;
      OtlpLogs logs = OtlpLogs.fromEnvironment(environment, registry, version);
      opened.add(logs::close);
      NodeProbe node = NodeProbe.attribute(environment, registry);
      opened.add(node::close);
      NodeAttribution attribution = node.attribution();
      EventOptions events =
          options.events().enabled() ? options.events() : EventOptions.on(EVENT_WINDOW, false);
      boolean eventsWanted = logs.enabled() || files.profiles() != null;
      if (!logs.enabled()) {
        // Profiles leave noaudit checks out: most checks on a host are the SYS_ADMIN probe of an
        // mmap, and the kernel need not fold or send them.
        events = events.auditedOnly(true);
      }
      Probe probe = node.attach(options.withEvents(eventsWanted ? events : EventOptions.OFF));
      ProfileKeeping profiles = null;
      if (files.profiles() != null) {
        profiles =
            ProfileKeeping.start(
                files.profiles(), files.profileLimits(), attribution, lifetimes.attributionGrace());
        FunctionCounter.builder(
                "capability.exporter.profiles.evicted", profiles, ProfileKeeping::evictions)
            .description(
                "Workload profiles let go to stay within --profiles.max-workloads: those with no"
                    + " container running and seen least recently first. `profile` names the last.")
            .register(registry);
        opened.add(profiles::close); // the last save
      }
      EventStreams streams = null;
      if (eventsWanted) {
        ProfileKeeping recording = profiles;
        EventStreams streaming = new EventStreams(attribution.pods());
        streams = streaming;
        Gauge.builder("capability.exporter.event.streams", streaming, EventStreams::streamsOpen)
            .description("Clients streaming check events (/api/v1/events, trace --cluster)")
            .register(registry);
        FunctionCounter.builder(
                "capability.exporter.event.stream.dropped", streaming, EventStreams::dropped)
            .description(
                "Check events a streaming client fell too far behind to be sent: it is told how"
                    + " many in its stream")
            .register(registry);
        node.startEvents(
            false,
            event -> {
              logs.emit(event);
              if (recording != null) {
                recording.record(event);
              }
              streaming.accept(event);
            });
        // Closing the probe delivers the last events, to the logs and profiles: it closes before
        // them (and again where it was opened, a no-op then).
        opened.add(probe::close);
      }
      CheckCounters counters =
          new CheckCounters(
              probe,
              new CgroupResolver(attribution.attributor(), lifetimes.attributionGrace(), registry),
              new RuleExpectations(rules, attribution.pods()),
              lifetimes.seriesGrace(),
              System::nanoTime);
      SelfMetrics.register(registry, version, probe, counters);
      // Departed cgroups' kernel entries are freed within a second, scraped or not.
      Reclaimer reclaimer =
          Reclaimer.start(
              counters,
              () -> probe.stat(Stat.CGROUP_RING_FULL) + probe.stat(Stat.COUNTS_MAP_FULL),
              probe::spillFill);
      attribution.onReleased(reclaimer::released);
      opened.add(reclaimer::close);
      return new Exporter(
          opened,
          probe,
          registry,
          new Scraper(registry, counters),
          attribution,
          policy,
          Optional.ofNullable(profiles),
          Optional.ofNullable(streams));
    } catch (PolicyException e) {
      opened.closeAfter(e);
      throw new IllegalArgumentException(e.getMessage(), e);
    } catch (ProbeException e) {
      opened.closeAfter(e);
      throw e;
    } catch (IOException | IllegalStateException e) {
      // Cannot run here (no cgroup v2, unreadable kernel files): said as the probe says it.
      opened.closeAfter(e);
      throw new ProbeException(e.getMessage());
    } catch (RuntimeException e) {
      opened.closeAfter(e);
      throw e;
    }
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
    return profiles.map(p -> p::json);
  }

  /** Check events for streaming clients; empty when check events are off. */
  public Optional<EventStreams> eventStreams() {
    return streams;
  }

  /**
   * Re-reads the policy file (SIGHUP); a bad file keeps the policy in force, logged and counted.
   * Counts are not touched. False when the file did not load, or there is none.
   */
  public boolean reloadPolicy() {
    return policy != null && policy.reload();
  }

  /**
   * Detaches the BPF program and frees its maps, then saves the profiles and flushes the OTLP
   * records still queued.
   */
  @Override
  public void close() {
    opened.close();
  }
}
