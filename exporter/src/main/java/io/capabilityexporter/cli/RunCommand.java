package io.capabilityexporter.cli;

import io.capabilityexporter.http.HttpLimits;
import io.capabilityexporter.http.ListenAddress;
import io.capabilityexporter.metrics.CheckCounters;
import io.capabilityexporter.node.Exporter;
import io.capabilityexporter.node.ServedExporter;
import io.capabilityexporter.node.Serving;
import io.capabilityexporter.probe.EventOptions;
import io.capabilityexporter.probe.NativeLoading;
import io.capabilityexporter.probe.ProbeException;
import io.capabilityexporter.probe.ProbeOptions;
import io.capabilityexporter.profiles.ProfileLimits;
import io.capabilityexporter.webconfig.NamedGroups;
import io.capabilityexporter.webconfig.WebConfig;
import io.capabilityexporter.webconfig.WebConfigException;
import io.capabilityexporter.webconfig.WebConfigFile;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/** {@code capability-exporter run}: the exporter, until SIGTERM or SIGINT. */
final class RunCommand {
  static final Command COMMAND =
      Command.withFlags(
          "run",
          "count capability checks and serve them to Prometheus (the default)",
          """
          Counts every capability check the kernel makes and serves the counts to Prometheus.
          """,
          List.of(
              Flag.value("web.listen-address", "HOST:PORT", "where to serve HTTP")
                  .withDefault(":9741"),
              Flag.value("web.telemetry-path", "PATH", "path of the metrics")
                  .withDefault("/metrics"),
              Flag.value(
                  "web.config.file",
                  "FILE",
                  "TLS and basic auth, in the exporter-toolkit format node_exporter reads"
                      + " (docs/tls.md); re-read when it or a file it names changes"),
              Flag.value(
                      "web.max-connections",
                      "N",
                      "HTTP connections open at once; beyond it the one that has waited longest"
                          + " for its next request is closed, counted")
                  .withDefault(HttpLimits.DEFAULT_MAX_CONNECTIONS),
              Flag.value(
                      "bpf.counts-max-entries",
                      "N",
                      "capacity of the kernel's spill map: the counts of cgroups that find their"
                          + " slot taken")
                  .withDefault(ProbeOptions.DEFAULT_COUNTS_CAPACITY),
              Flag.value(
                      "bpf.cgroup-slots",
                      "N",
                      "slots of the kernel's per-cgroup counter blocks, a power of two (2.3 KiB"
                          + " each): cgroups alive or gone within a second at once")
                  .withDefault(ProbeOptions.DEFAULT_CGROUP_SLOTS),
              Flag.value(
                      "bpf.cgroup-ring-size",
                      "BYTES",
                      "the kernel's ring of cgroups made and released, a power of two (4MiB: some"
                          + " 7,000 paths of 500 bytes, 20,000 of 100)")
                  .withDefault((ProbeOptions.DEFAULT_CGROUP_RING_BYTES >> 20) + "MiB"),
              Flag.value(
                      "series.grace-period",
                      "DURATION",
                      "how long the series of a workload whose cgroups are all gone stay")
                  .withDefault(CheckCounters.Lifetimes.defaults().seriesGrace().toMinutes() + "m"),
              Flag.value(
                  "config",
                  "FILE",
                  "the policy file: checks it lists are expected (docs/configuration.md, \"The policy file\");"
                      + " re-read on change and on SIGHUP"),
              Flag.value(
                  "profiles.file",
                  "FILE",
                  "record per-workload capability profiles and keep them in FILE (the DaemonSet:"
                      + " /var/lib/capability-exporter/profiles.json); `profile` prints them"),
              Flag.value(
                      "profiles.max-workloads",
                      "N",
                      "workloads the profiles keep; beyond, those with no container running go"
                          + " first, least recently seen first, counted and named")
                  .withDefault(ProfileLimits.DEFAULT.workloads()),
              Flag.value("profiles.max-containers", "N", "containers kept per workload's profile")
                  .withDefault(ProfileLimits.DEFAULT.containers())),
          """
          Environment: OTEL_* (OTLP log records), KUBECONFIG or in-cluster config with NODE_NAME
          (Kubernetes pods).
          """,
          (args, out, err) -> new RunCommand(err, Cli.version()).run(args));

  private final PrintStream err;
  private final String version;

  RunCommand(PrintStream err, String version) {
    this.err = err;
    this.version = version;
  }

  int run(List<String> args) throws UsageException, InterruptedException {
    Flags flags = Flags.parse(COMMAND, args);
    Serving serving;
    try {
      serving = serving(flags);
    } catch (ProbeException e) {
      err.println("capability-exporter: cannot run: " + e.getMessage());
      return 1;
    }
    if (serving.webConfigFile() != null) {
      // Before anything in this JVM opens a TLS connection: Java reads it once.
      NamedGroups.setProcessWide(serving.webConfig());
    }
    Exporter exporter;
    try {
      exporter =
          Exporter.start(
              probeOptions(flags),
              new CheckCounters.Lifetimes(
                  CheckCounters.Lifetimes.defaults().attributionGrace(),
                  flags.duration("series.grace-period")),
              version,
              System.getenv(),
              new Exporter.Files(
                  path(flags, "config"),
                  path(flags, "profiles.file"),
                  new ProfileLimits(
                      flags.positiveInt("profiles.max-workloads", 1_000_000),
                      flags.positiveInt("profiles.max-containers", 10_000),
                      ProfileLimits.DEFAULT.names())));
    } catch (ProbeException e) {
      err.println("capability-exporter: cannot run: " + e.getMessage());
      return 1;
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    ServedExporter served;
    try {
      served = ServedExporter.serve(exporter, serving);
    } catch (IOException e) {
      throw new UsageException(
          "--web.listen-address="
              + flags.get("web.listen-address")
              + ": "
              + e.getMessage()
              + "; choose a free port or another address");
    }
    err.println("capability-exporter: " + served.privileges());
    boolean hasPolicy = flags.has("config");
    HangupSignal.onHangup(
        () -> {
          if (hasPolicy) {
            exporter.reloadPolicy();
          } else {
            err.println("capability-exporter: SIGHUP: no --config, nothing to reload");
          }
        });
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  served.close();
                  // Stopped as asked, by SIGTERM or SIGINT: that is success, not 143.
                  Runtime.getRuntime().halt(0);
                },
                "shutdown"));
    err.println("capability-exporter " + version + ": " + served.describe());
    Thread.currentThread().join();
    return 0;
  }

  /** The --web.* flags: where and how to serve, the web config file read. */
  private static Serving serving(Flags flags) throws UsageException, ProbeException {
    ListenAddress address;
    try {
      address = ListenAddress.parse(flags.get("web.listen-address"));
    } catch (IllegalArgumentException e) {
      throw new UsageException("--web.listen-address=" + e.getMessage());
    }
    String telemetryPath = flags.get("web.telemetry-path");
    if (!telemetryPath.matches("/[A-Za-z0-9._/-]*")
        || Set.of("/", "/healthz", "/readyz").contains(telemetryPath)) {
      throw new UsageException(
          "--web.telemetry-path="
              + telemetryPath
              + " is invalid: give a path such as /metrics,"
              + " other than /, /healthz and /readyz");
    }
    HttpLimits limits =
        HttpLimits.defaults().withMaxConnections(flags.positiveInt("web.max-connections", 1 << 20));
    Path webConfigFile = path(flags, "web.config.file");
    WebConfig webConfig = WebConfig.NONE;
    if (webConfigFile != null) {
      NativeLoading.requireJnaStub(); // the file is read through it
      try {
        webConfig = WebConfigFile.load(webConfigFile);
      } catch (WebConfigException e) {
        throw new UsageException("--web.config.file: " + e.getMessage());
      }
    }
    return new Serving(address, telemetryPath, limits, webConfigFile, webConfig);
  }

  /** The --bpf.* flags. */
  private static ProbeOptions probeOptions(Flags flags) throws UsageException {
    try {
      return new ProbeOptions(
              flags.positiveInt("bpf.counts-max-entries", 1 << 22),
              ProbeOptions.defaults().hooks(),
              EventOptions.OFF)
          .withCgroupSlots(flags.powerOfTwo("bpf.cgroup-slots", 1, ProbeOptions.MAX_CGROUP_SLOTS))
          .withCgroupRing(flags.powerOfTwo("bpf.cgroup-ring-size", 4096, 1 << 30));
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
  }

  private static Path path(Flags flags, String name) throws UsageException {
    if (!flags.has(name)) {
      return null;
    }
    String value = flags.get(name);
    if (value.isBlank()) {
      throw new UsageException("--" + name + "= is empty: give a file, or leave the flag out");
    }
    return Path.of(value);
  }
}
