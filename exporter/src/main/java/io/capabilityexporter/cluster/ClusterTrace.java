package io.capabilityexporter.cluster;

import io.capabilityexporter.events.TraceFilter;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code trace --cluster}: the check events of the selected exporters ({@code --node}, or all), a
 * label selector matched by each exporter against its node's pods, each streamed from its {@code
 * /api/v1/events} over a port-forward of its own and filtered there, on the node, so that only what
 * was asked crosses the network; every line to one sink.
 */
public final class ClusterTrace implements AutoCloseable {
  /** Where the events go; called from the streams' threads, one call at a time. */
  public interface Sink {
    void event(ExporterPod from, JsonObject event);

    /** The exporter dropped this many events this reader was too slow for. */
    void dropped(ExporterPod from, long count);

    /** The exporter's stream ended, or never began. */
    void ended(ExporterPod from, String why);
  }

  private final ExporterRequests requests;
  private final List<AutoCloseable> streams = new ArrayList<>();

  private ClusterTrace(ExporterRequests requests) {
    this.requests = requests;
  }

  /**
   * @param node only the exporter of this node; null for all
   * @throws ClusterException the exporters cannot be listed, or none is on {@code node}
   */
  public static ClusterTrace start(
      KubernetesClient client,
      ClusterAccess access,
      String node,
      TraceFilter filter,
      String selector,
      Sink sink)
      throws ClusterException {
    List<ExporterPod> pods = ExporterPods.find(client, access);
    List<ExporterPod> chosen =
        pods.stream().filter(pod -> node == null || pod.node().equals(node)).toList();
    if (chosen.isEmpty()) {
      throw new ClusterException(
          "no exporter on node "
              + node
              + "; they run on: "
              + String.join(", ", pods.stream().map(ExporterPod::node).toList()));
    }
    Sink serial = serialized(sink);
    ClusterTrace trace = new ClusterTrace(new ExporterRequests(client, access));
    String path = "/api/v1/events" + query(filter, selector);
    for (ExporterPod pod : chosen) {
      if (!pod.running()) {
        serial.ended(pod, "its pod is " + (pod.phase().isEmpty() ? "not running" : pod.phase()));
        continue;
      }
      trace.streams.add(
          trace.requests.stream(
              pod, path, line -> line(pod, line, serial), why -> serial.ended(pod, why)));
    }
    return trace;
  }

  private static void line(ExporterPod pod, String line, Sink sink) {
    if (line.isBlank()) {
      return; // the stream's heartbeat
    }
    JsonObject json;
    try {
      json = new JsonObject(line);
    } catch (DecodeException e) {
      sink.ended(pod, "a line that is not JSON: the stream is not an exporter's events");
      return;
    }
    if (json.containsKey("dropped") && json.size() == 1) {
      sink.dropped(pod, json.getLong("dropped", 0L));
    } else {
      sink.event(pod, json);
    }
  }

  private static Sink serialized(Sink sink) {
    return new Sink() {
      @Override
      public synchronized void event(ExporterPod from, JsonObject event) {
        sink.event(from, event);
      }

      @Override
      public synchronized void dropped(ExporterPod from, long count) {
        sink.dropped(from, count);
      }

      @Override
      public synchronized void ended(ExporterPod from, String why) {
        sink.ended(from, why);
      }
    };
  }

  /** The filter as {@code /api/v1/events}'s query. */
  static String query(TraceFilter filter, String selector) {
    Map<String, String> query = new LinkedHashMap<>();
    query.put("namespace", filter.namespace());
    query.put("pod", filter.pod());
    query.put("container", filter.container());
    query.put("comm", filter.comm());
    query.put("cap", filter.caps() == null || filter.caps().isEmpty() ? null : filter.caps());
    query.put("verdict", filter.verdict());
    query.put("origin", filter.origin());
    query.put("selector", selector);
    StringBuilder out = new StringBuilder();
    query.forEach(
        (name, value) -> {
          if (value != null) {
            out.append(out.length() == 0 ? '?' : '&')
                .append(name)
                .append('=')
                .append(URLEncoder.encode(value, StandardCharsets.UTF_8));
          }
        });
    return out.toString();
  }

  /** How many streams were opened. */
  public int streams() {
    return streams.size();
  }

  @Override
  public void close() {
    for (AutoCloseable stream : streams) {
      try {
        stream.close();
      } catch (Exception e) {
        // closing: nothing more to say
      }
    }
    requests.close();
  }
}
