package io.capabilityexporter.cli;

import io.capabilityexporter.events.CheckEvent;
import io.capabilityexporter.events.EventFormat;
import io.capabilityexporter.events.TraceFilter;
import io.capabilityexporter.node.NodeAttribution;
import io.capabilityexporter.node.NodeProbe;
import io.capabilityexporter.probe.EventOptions;
import io.capabilityexporter.probe.Probe;
import io.capabilityexporter.probe.ProbeException;
import io.capabilityexporter.probe.ProbeOptions;
import io.capabilityexporter.selectors.LabelSelector;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/** {@code capability-exporter trace}: capability checks live in the terminal, until Ctrl-C. */
final class TraceCommand {
  static final Command COMMAND =
      Command.withFlags(
          "trace",
          "print capability checks live",
          """
          Prints capability checks as they happen, one line each: the first check of a (cgroup,
          process, capability, verdict, syscall) in a window, with the count of checks it stands for.

          With --cluster, from any machine with a kubeconfig: streams the checks of the selected
          pods from the exporters of the nodes (--node, or all), filtered on each node, with a NODE
          column; an exporter streams only while it records check events (profiles or OTLP on, the
          chart's default), and a reader too slow for it is told how many events it lost. Needs
          what `profile --cluster` needs; --unique, --print-stack, --audit-only and --window are
          the local trace's only.
          """,
          ClusterFlags.with(
              Flag.value(
                      "output",
                      "FORMAT",
                      "columns, json (one object per line), or columns=time,pid,comm,... (any of"
                          + " the columns below)")
                  .withShortName("o")
                  .withDefault("columns"),
              Flag.value("namespace", "NAME", "only this Kubernetes namespace").withShortName("n"),
              Flag.value("pod", "NAME", "only this pod"),
              Flag.value(
                  "selector", "LABELS", "only pods matching a label selector (needs Kubernetes)"),
              Flag.value(
                  "container", "NAME", "only this container (or systemd unit, or cgroup path)"),
              Flag.value("comm", "NAME", "only this command"),
              Flag.value(
                  "cap", "NAMES", "only these capabilities: SYS_ADMIN,NET_RAW (CAP_ optional)"),
              Flag.value("verdict", "allow|deny", "only allowed, or only denied checks"),
              Flag.value(
                      "origin",
                      "WHOSE",
                      "whose checks: workload (the containers' own programs), runtime (container"
                          + " runtimes setting a container up or entering it for an exec), or all;"
                          + " runtime and all add the ORIGIN column")
                  .withDefault("workload"),
              Flag.toggle(
                      "audit-only",
                      "leave out the checks the kernel does not audit: the SYS_ADMIN probe of every"
                          + " mmap, brk and execve, and the like (default: true for columns, false"
                          + " for -o json)")
                  .withValues("true|false"),
              Flag.toggle("unique", "show a capability once per container and verdict"),
              Flag.toggle("print-stack", "show the kernel stack of each check"),
              Flag.value("window", "DURATION", "fold repeats of one check for this long")
                  .withDefault("1s"),
              Flag.value("timeout", "DURATION", "stop after this long (default: run until Ctrl-C)"),
              Flag.value("node", "NAME", "with --cluster: only the exporter of this node")),
          """
          Columns: time timestamp node namespace pod container pid tid comm syscall uid gid cap
            capname audit insetid verdict reason denyclass usernsscope targetuserns currentuserns
            mountnsid caps capsnames count cgroupid origin

          REASON says why a check was denied: not_effective (the capability is not in the effective
          set) or userns (it is, but of a user namespace that does not own the target). USERNSSCOPE is
          container, or nested for a user namespace the workload made itself. DENYCLASS is fallback
          (the kernel allowed the capability it tried next), drop_check (a set*id to root by a
          task that gave root up), or before_exit (the process exited right after). ORIGIN is workload,
          runtime, or held (a host process entering namespaces or mounting: counted as the runtime's
          of the container it then enters, else as its own).
          """,
          (args, out, err) -> new TraceCommand(out, err, StopSignal.onSigintOrSigterm()).run(args));

  private final PrintStream out;
  private final PrintStream err;
  private final StopSignal stop;

  TraceCommand(PrintStream out, PrintStream err, StopSignal stop) {
    this.out = out;
    this.err = err;
    this.stop = stop;
  }

  int run(List<String> args) throws UsageException, InterruptedException {
    try {
      return parseAndTrace(args);
    } finally {
      stop.cleanedUp(); // whatever the outcome, exiting is safe now
    }
  }

  private int parseAndTrace(List<String> args) throws UsageException, InterruptedException {
    Flags flags = Flags.parse(COMMAND, args);
    TraceFilter wanted =
        new TraceFilter(
            flags.get("namespace"),
            flags.get("pod"),
            flags.get("container"),
            flags.get("comm"),
            flags.has("cap") ? flags.get("cap") : "",
            flags.get("verdict"),
            flags.get("origin"),
            flags.has("unique"));
    Predicate<CheckEvent> filter;
    try {
      filter = wanted.predicate("--");
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    Output output = Output.parse(flags.get("output"), !wanted.workloadsOnly());
    LabelSelector selector = null;
    if (flags.has("selector")) {
      try {
        selector = LabelSelector.parse(flags.get("selector"));
      } catch (IllegalArgumentException e) {
        throw new UsageException("--selector: " + e.getMessage());
      }
    }
    if (flags.has("cluster")) {
      for (String local : List.of("unique", "print-stack", "audit-only", "window")) {
        boolean given = local.equals("window") ? !flags.get(local).equals("1s") : flags.has(local);
        if (given) {
          throw new UsageException(
              "--"
                  + local
                  + " is the local trace's: with --cluster filter with --namespace, --pod,"
                  + " --container, --comm, --cap, --verdict, --origin, --selector or --node");
        }
      }
      Duration timeout = flags.has("timeout") ? flags.duration("timeout") : Duration.ZERO;
      return new ClusterTracing(out, err, stop)
          .run(
              ClusterFlags.access(flags),
              flags.get("node"),
              wanted,
              flags.get("selector"),
              flags.get("output"),
              timeout);
    }
    boolean printStack = flags.has("print-stack");
    boolean auditOnly =
        auditOnly(flags.has("audit-only") ? flags.get("audit-only") : output.auditOnlyByDefault());
    Duration window = flags.duration("window");
    Duration timeout = flags.has("timeout") ? flags.duration("timeout") : Duration.ZERO;

    return trace(output, filter, selector, printStack, auditOnly, window, timeout);
  }

  private static boolean auditOnly(String value) throws UsageException {
    return switch (value) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new UsageException("--audit-only=" + value + ": use true or false");
    };
  }

  private int trace(
      Output output,
      Predicate<CheckEvent> filter,
      LabelSelector selector,
      boolean printStack,
      boolean auditOnly,
      Duration window,
      Duration timeout)
      throws InterruptedException {
    try (NodeProbe node = NodeProbe.attribute(System.getenv(), new SimpleMeterRegistry())) {
      // Refused before anything is loaded.
      if (selector != null && node.attribution().node().isEmpty()) {
        err.println(
            "capability-exporter: --selector needs Kubernetes pod labels: run trace where KUBECONFIG"
                + " (or the pod's service account) and NODE_NAME are set, or filter with"
                + " --namespace, --pod, --container or --comm");
        return 2;
      }
      Probe probe =
          node.attach(
              ProbeOptions.defaults()
                  .withEvents(EventOptions.on(window, printStack).auditedOnly(auditOnly)));
      awaitPods(node.attribution());
      // The filter's cheap comparisons first; the pod's labels only for what passes them.
      Predicate<CheckEvent> shown =
          selector == null
              ? filter
              : filter.and(TraceFilter.podsMatching(selector, node.attribution().pods()));
      output.header().ifPresent(out::println);
      node.startEvents(
          printStack,
          event -> {
            if (shown.test(event)) {
              String line = output.line(event, printStack);
              synchronized (out) {
                out.println(line);
                out.flush();
              }
            }
          });
      err.println(
          "capability-exporter: tracing capability checks with "
              + probe.hook().label()
              + (!auditOnly
                  ? ""
                  : probe.auditKnown()
                      ? "; noaudit checks left out (every mmap's SYS_ADMIN probe...):"
                          + " --audit-only=false shows them"
                      : "; the audit flag is unknown here (kernel addresses hidden), so"
                          + " --audit-only leaves nothing out")
              + "; Ctrl-C to stop");
      stop.await(timeout.toMillis());
      return 0;
    } catch (IllegalStateException | IllegalArgumentException | IOException | ProbeException e) {
      err.println("capability-exporter: cannot trace: " + e.getMessage());
      return 1;
    }
  }

  /** In Kubernetes, waits a little for the node's pods, so the first events carry their names. */
  private void awaitPods(NodeAttribution attribution) throws InterruptedException {
    for (int i = 0; i < 100 && !attribution.synced(); i++) {
      Thread.sleep(50);
    }
    if (!attribution.synced()) {
      err.println(
          "capability-exporter: the API server has not listed this node's pods yet; events of"
              + " pods not yet known show their container id");
    }
  }

  /** {@code -o}: one JSON object a line, or a table of columns under a header. */
  private record Output(Optional<EventFormat> table) {
    /**
     * @param withOrigin the default columns say whose each check is (when not only the workloads'
     *     are shown)
     */
    static Output parse(String output, boolean withOrigin) throws UsageException {
      if (output.equals("json")) {
        return new Output(Optional.empty());
      }
      if (output.equals("columns")) {
        List<String> columns = new java.util.ArrayList<>(EventFormat.DEFAULT_COLUMNS);
        if (withOrigin) {
          columns.add("origin");
        }
        return new Output(Optional.of(EventFormat.columns(columns)));
      }
      if (output.startsWith("columns=")) {
        try {
          return new Output(
              Optional.of(
                  EventFormat.columns(
                      Arrays.asList(output.substring("columns=".length()).split(",")))));
        } catch (IllegalArgumentException e) {
          throw new UsageException("-o " + output + ": " + e.getMessage());
        }
      }
      throw new UsageException(
          "-o " + output + " is not an output format: use columns, json or columns=a,b,...");
    }

    /** A terminal's reader wants the audited checks; a program reading JSON, all of them. */
    String auditOnlyByDefault() {
      return Boolean.toString(table.isPresent());
    }

    Optional<String> header() {
      return table.map(EventFormat::header);
    }

    String line(CheckEvent event, boolean withStack) {
      return table
          .map(columns -> columns.row(event, withStack))
          .orElseGet(() -> EventFormat.json(event));
    }
  }
}
