package io.capabilityexporter.testing;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodListBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.ServerWebSocketHandshake;
import io.vertx.core.net.NetSocket;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The part of a kube-apiserver a workstation's {@code profile --cluster} uses: pods listed by label
 * in a namespace, and port-forwards to them over WebSocket ({@code v4.channel.k8s.io}, as fabric8
 * and kubectl speak it: each frame's first byte its channel, 0 data and 1 errors, the first frame
 * of each carrying the port), each to the loopback port the test says that pod's exporter is on.
 * Either can be forbidden, as the real server refuses a user the Role was not bound to.
 */
public final class FakeClusterApi implements AutoCloseable {
  /** What a user may be refused. */
  public enum Verb {
    LIST_PODS,
    PORT_FORWARD
  }

  private static final Pattern PODS = Pattern.compile("/api/v1/namespaces/([^/]+)/pods");
  private static final Pattern FORWARD =
      Pattern.compile("/api/v1/namespaces/([^/]+)/pods/([^/]+)/portforward");

  private final Vertx vertx = Vertx.vertx();
  private final Map<String, Pod> pods = new ConcurrentHashMap<>();
  private final Map<String, Integer> ports = new ConcurrentHashMap<>();
  private final Set<Verb> forbidden = ConcurrentHashMap.newKeySet();
  private final HttpServer server;

  private FakeClusterApi() throws Exception {
    server =
        vertx
            .createHttpServer(
                new HttpServerOptions()
                    .setWebSocketSubProtocols(List.of("v4.channel.k8s.io", "v5.channel.k8s.io")))
            .webSocketHandshakeHandler(this::handshake)
            .webSocketHandler(this::forward)
            .requestHandler(this::list)
            .listen(0, "127.0.0.1")
            .await(10, TimeUnit.SECONDS);
  }

  public static FakeClusterApi start() throws Exception {
    return new FakeClusterApi();
  }

  /** A kubeconfig for this server, as a user's workstation has one. */
  public Path kubeconfig(Path dir) throws IOException {
    return Files.writeString(
        dir.resolve("workstation-kubeconfig"),
        """
        apiVersion: v1
        kind: Config
        clusters:
        - name: test
          cluster:
            server: http://127.0.0.1:%d
        contexts:
        - name: test
          context:
            cluster: test
            user: dev
        current-context: test
        users:
        - name: dev
          user:
            token: dev-token
        """
            .formatted(server.actualPort()));
  }

  /**
   * An exporter pod of the DaemonSet on {@code node}, whose port-forwards reach {@code port} on
   * loopback (-1: a pod that is not running).
   */
  public void exporterPod(String namespace, String name, String node, String phase, int port) {
    pods.put(
        name,
        new PodBuilder()
            .withNewMetadata()
            .withNamespace(namespace)
            .withName(name)
            .addToLabels("app.kubernetes.io/name", "capability-exporter")
            .endMetadata()
            .withNewSpec()
            .withNodeName(node)
            .endSpec()
            .withNewStatus()
            .withPhase(phase)
            .endStatus()
            .build());
    ports.put(name, port);
  }

  public void forbid(Verb verb) {
    forbidden.add(verb);
  }

  public void allow(Verb verb) {
    forbidden.remove(verb);
  }

  private void list(HttpServerRequest request) {
    Matcher matcher = PODS.matcher(request.path());
    if (!matcher.matches()) {
      request.response().setStatusCode(404).end();
      return;
    }
    String namespace = matcher.group(1);
    if (forbidden.contains(Verb.LIST_PODS)) {
      refuse(request, "list", "pods", namespace);
      return;
    }
    String selector = request.getParam("labelSelector", "");
    Map<String, String> wanted = new java.util.HashMap<>();
    for (String term : URLDecoder.decode(selector, StandardCharsets.UTF_8).split(",")) {
      if (term.contains("=")) {
        wanted.put(term.substring(0, term.indexOf('=')), term.substring(term.indexOf('=') + 1));
      }
    }
    List<Pod> items =
        pods.values().stream()
            .filter(pod -> pod.getMetadata().getNamespace().equals(namespace))
            .filter(pod -> pod.getMetadata().getLabels().entrySet().containsAll(wanted.entrySet()))
            .toList();
    request
        .response()
        .putHeader("Content-Type", "application/json")
        .end(
            Serialization.asJson(
                new PodListBuilder()
                    .withNewMetadata()
                    .withResourceVersion("1")
                    .endMetadata()
                    .withItems(items)
                    .build()));
  }

  private static void refuse(HttpServerRequest request, String verb, String resource, String ns) {
    request
        .response()
        .setStatusCode(403)
        .putHeader("Content-Type", "application/json")
        .end(status(verb, resource, ns));
  }

  private static String status(String verb, String resource, String ns) {
    return """
        {"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":\
        "%s is forbidden: User \\"dev\\" cannot %s resource \\"%s\\" in API group \\"\\" in the\
         namespace \\"%s\\"","reason":"Forbidden","code":403}"""
        .formatted(resource, verb, resource, ns);
  }

  private void handshake(ServerWebSocketHandshake handshake) {
    Matcher matcher = FORWARD.matcher(handshake.path());
    if (!matcher.matches() || !pods.containsKey(matcher.group(2))) {
      handshake.reject(404);
    } else if (forbidden.contains(Verb.PORT_FORWARD)) {
      handshake.reject(403);
    } else {
      handshake.accept();
    }
  }

  /** One connection: to the pod's port, as the kubelet would in the pod's network namespace. */
  private void forward(ServerWebSocket socket) {
    Matcher matcher = FORWARD.matcher(socket.path());
    if (!matcher.matches()) {
      socket.close();
      return;
    }
    int port = ports.getOrDefault(matcher.group(2), -1);
    socket.pause();
    vertx
        .createNetClient()
        .connect(port, "127.0.0.1")
        .onComplete(
            connected -> {
              if (connected.failed()) {
                // As the kubelet: both channels' port first, then its error on channel 1.
                socket.writeBinaryMessage(Buffer.buffer(new byte[] {0, 0, 0}));
                socket.writeBinaryMessage(Buffer.buffer(new byte[] {1, 0, 0}));
                socket.writeBinaryMessage(
                    Buffer.buffer(new byte[] {1})
                        .appendString(
                            "error forwarding port "
                                + port
                                + " to pod: dial tcp 127.0.0.1:"
                                + port
                                + ": connect: connection refused"));
                socket.close();
                return;
              }
              NetSocket pod = connected.result();
              socket.writeBinaryMessage(Buffer.buffer(new byte[] {0, 0, 0}));
              socket.writeBinaryMessage(Buffer.buffer(new byte[] {1, 0, 0}));
              socket.binaryMessageHandler(
                  frame -> {
                    if (frame.length() > 1 && frame.getByte(0) == 0) {
                      pod.write(frame.getBuffer(1, frame.length()));
                    }
                  });
              pod.handler(
                  data ->
                      socket.writeBinaryMessage(
                          Buffer.buffer().appendByte((byte) 0).appendBuffer(data)));
              pod.closeHandler(closed -> socket.close());
              socket.closeHandler(closed -> pod.close());
              socket.resume();
            });
  }

  @Override
  public void close() {
    vertx.close().await();
  }
}
