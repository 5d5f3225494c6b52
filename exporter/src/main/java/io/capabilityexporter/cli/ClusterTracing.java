package io.capabilityexporter.cli;

import io.capabilityexporter.cluster.ClusterAccess;
import io.capabilityexporter.cluster.ClusterException;
import io.capabilityexporter.cluster.ClusterTrace;
import io.capabilityexporter.cluster.ClusterTraceFormat;
import io.capabilityexporter.cluster.ExporterPod;
import io.capabilityexporter.events.TraceFilter;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.time.Duration;

/** {@code trace --cluster}: the exporters' streams in this terminal until Ctrl-C or the timeout. */
final class ClusterTracing {
  private final PrintStream out;
  private final PrintStream err;
  private final StopSignal stop;

  ClusterTracing(PrintStream out, PrintStream err, StopSignal stop) {
    this.out = out;
    this.err = err;
    this.stop = stop;
  }

  int run(
      ClusterAccess access,
      String node,
      TraceFilter filter,
      String selector,
      String output,
      Duration timeout)
      throws UsageException, InterruptedException {
    boolean json = output.equals("json");
    if (!json && !output.equals("columns")) {
      throw new UsageException(
          "-o " + output + " with --cluster: use columns or json (the columns are fixed)");
    }
    try (KubernetesClient client = new KubernetesClientBuilder().build();
        ClusterTrace trace =
            ClusterTrace.start(client, access, node, filter, selector, sink(json))) {
      if (!json) {
        out.println(ClusterTraceFormat.header());
        out.flush();
      }
      err.println(
          "capability-exporter: streaming from "
              + trace.streams()
              + " exporter"
              + (trace.streams() == 1 ? "" : "s")
              + "; Ctrl-C to stop");
      stop.await(timeout.toMillis());
      return 0;
    } catch (ClusterException | RuntimeException e) {
      err.println("capability-exporter: " + ClusterFlags.whyNot(e));
      return 1;
    }
  }

  private ClusterTrace.Sink sink(boolean json) {
    return new ClusterTrace.Sink() {
      @Override
      public void event(ExporterPod from, JsonObject event) {
        if (!event.containsKey("node") || event.getString("node", "").isEmpty()) {
          event.put("node", from.node());
        }
        out.println(json ? event.encode() : ClusterTraceFormat.row(from, event));
        out.flush();
      }

      @Override
      public void dropped(ExporterPod from, long count) {
        err.println(
            "capability-exporter: "
                + from.title()
                + " dropped "
                + count
                + " events this terminal was too slow for");
      }

      @Override
      public void ended(ExporterPod from, String why) {
        err.println("capability-exporter: no events from " + from.title() + ": " + why);
      }
    };
  }
}
