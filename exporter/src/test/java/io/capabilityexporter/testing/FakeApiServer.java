package io.capabilityexporter.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The part of a kube-apiserver the exporter uses: list and watch pods, honouring the {@code
 * spec.nodeName} field selector (fabric8's mock server ignores field selectors). It can go down and
 * come back on the same port. Watches are plain HTTP streams of JSON events, as the exporter asks
 * for them.
 */
public final class FakeApiServer implements AutoCloseable {
  /** The port it is on, or comes back up on. */
  private int port;

  private final Map<String, Pod> pods = new LinkedHashMap<>();
  private final List<Watch> watches = new CopyOnWriteArrayList<>();
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private long resourceVersion = 1;
  private HttpServer server;
  private ExecutorService executor;

  private record Watch(String node, OutputStream body) {}

  /** What a watch from an older resourceVersion is told first, as the real server replays. */
  private record Event(long resourceVersion, String node, String line) {}

  private final List<Event> history = new ArrayList<>();

  private FakeApiServer(int port) {
    this.port = port;
  }

  /** Up on a free loopback port. */
  public static FakeApiServer start() throws IOException {
    FakeApiServer api = new FakeApiServer(0);
    api.up(0);
    return api;
  }

  /** Down, on a port it can come up on later: as an API server that is unreachable at start. */
  public static FakeApiServer down() throws IOException {
    FakeApiServer probe = start();
    int port = probe.port();
    probe.goDown();
    FakeApiServer api = new FakeApiServer(port);
    return api;
  }

  public int port() {
    return port;
  }

  /** A kubeconfig pointing at this server, written into {@code dir}. */
  public Path kubeconfig(Path dir) throws IOException {
    return Files.writeString(
        dir.resolve("kubeconfig"),
        """
        apiVersion: v1
        kind: Config
        clusters:
        - name: fake
          cluster: {server: "http://127.0.0.1:%d"}
        users:
        - name: exporter
          user: {token: test-token}
        contexts:
        - name: fake
          context: {cluster: fake, user: exporter}
        current-context: fake
        """
            .formatted(port()));
  }

  /**
   * The environment of an exporter on {@code node} of this server's cluster, OTLP off: the
   * kubeconfig written into {@code dir}.
   */
  public java.util.Map<String, String> nodeEnvironment(Path dir, String node) throws IOException {
    return java.util.Map.of(
        "OTEL_SDK_DISABLED", "true", "KUBECONFIG", kubeconfig(dir).toString(), "NODE_NAME", node);
  }

  public synchronized void goUp() throws IOException {
    up(port);
  }

  public synchronized void goDown() {
    if (server == null) {
      return;
    }
    for (Watch watch : watches) {
      try {
        watch.body().close();
      } catch (IOException e) {
        // already gone
      }
    }
    watches.clear();
    server.stop(0);
    executor.shutdownNow();
    server = null;
  }

  /** Adds or replaces a pod; watchers of its node hear of it. */
  public synchronized void put(Pod pod) {
    pod.getMetadata().setResourceVersion(Long.toString(++resourceVersion));
    boolean known = pods.containsKey(pod.getMetadata().getUid());
    pods.put(pod.getMetadata().getUid(), pod);
    notify(known ? "MODIFIED" : "ADDED", pod);
  }

  public synchronized void delete(Pod pod) {
    Pod gone = pods.remove(pod.getMetadata().getUid());
    if (gone != null) {
      gone.getMetadata().setResourceVersion(Long.toString(++resourceVersion));
      notify("DELETED", gone);
    }
  }

  /** Request lines seen, path and query: {@code /api/v1/pods?fieldSelector=...}. */
  public List<String> requests() {
    return List.copyOf(requests);
  }

  @Override
  public void close() {
    goDown();
  }

  private void up(int onPort) throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", onPort), 0);
    port = server.getAddress().getPort();
    executor = Executors.newCachedThreadPool();
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  private void handle(HttpExchange exchange) throws IOException {
    String query = exchange.getRequestURI().getRawQuery();
    requests.add(exchange.getRequestURI().getPath() + (query == null ? "" : "?" + query));
    Map<String, String> params = params(query);
    if (!exchange.getRequestMethod().equals("GET")
        || !exchange.getRequestURI().getPath().equals("/api/v1/pods")) {
      send(exchange, 404, "{\"kind\":\"Status\",\"code\":404}");
      return;
    }
    String node = nodeOf(params.get("fieldSelector"));
    if ("true".equals(params.get("watch")) || "1".equals(params.get("watch"))) {
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, 0);
      long from = Long.parseLong(params.getOrDefault("resourceVersion", "0"));
      synchronized (this) {
        Watch watch = new Watch(node, exchange.getResponseBody());
        for (Event event : history) {
          if (event.resourceVersion() > from) {
            write(watch, event);
          }
        }
        watches.add(watch);
      }
      return; // the stream stays open; events are written by notify()
    }
    String list;
    synchronized (this) {
      List<Pod> items = new ArrayList<>();
      for (Pod pod : pods.values()) {
        if (node == null || node.equals(pod.getSpec().getNodeName())) {
          items.add(pod);
        }
      }
      list =
          "{\"apiVersion\":\"v1\",\"kind\":\"PodList\",\"metadata\":{\"resourceVersion\":\""
              + resourceVersion
              + "\"},\"items\":"
              + Serialization.asJson(items)
              + "}";
    }
    send(exchange, 200, list);
  }

  private void notify(String type, Pod pod) {
    String line = "{\"type\":\"" + type + "\",\"object\":" + Serialization.asJson(pod) + "}\n";
    Event event = new Event(resourceVersion, pod.getSpec().getNodeName(), line);
    history.add(event);
    for (Watch watch : watches) {
      write(watch, event);
    }
  }

  private void write(Watch watch, Event event) {
    if (watch.node() != null && !watch.node().equals(event.node())) {
      return;
    }
    try {
      watch.body().write(event.line().getBytes(StandardCharsets.UTF_8));
      watch.body().flush();
    } catch (IOException e) {
      watches.remove(watch);
    }
  }

  private static String nodeOf(String fieldSelector) {
    if (fieldSelector == null) {
      return null;
    }
    String prefix = "spec.nodeName=";
    return fieldSelector.startsWith(prefix) ? fieldSelector.substring(prefix.length()) : null;
  }

  private static Map<String, String> params(String query) {
    Map<String, String> params = new HashMap<>();
    if (query != null) {
      for (String pair : query.split("&")) {
        int eq = pair.indexOf('=');
        String name = eq < 0 ? pair : pair.substring(0, eq);
        String value = eq < 0 ? "" : pair.substring(eq + 1);
        params.put(
            URLDecoder.decode(name, StandardCharsets.UTF_8),
            URLDecoder.decode(value, StandardCharsets.UTF_8));
      }
    }
    return params;
  }

  private static void send(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
