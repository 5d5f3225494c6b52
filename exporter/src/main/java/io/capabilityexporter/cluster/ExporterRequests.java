package io.capabilityexporter.cluster;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.LocalPortForward;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.parsetools.RecordParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Asks the exporter in one pod, over a port-forward of its own: its TLS checked against the name
 * the user gave, its basic auth met. The answer is bounded: an exporter is trusted no more than any
 * server.
 */
final class ExporterRequests implements AutoCloseable {
  static final Duration TIMEOUT = Duration.ofSeconds(30);

  static final Duration RETRY_AFTER = Duration.ofSeconds(1);

  /** A stream says it is alive every 5 s (EventsEndpoint's heartbeat). */
  static final Duration STREAM_IDLE = Duration.ofSeconds(30);

  /** An event's JSON line is about a kilobyte; a longer one is not the exporter's. */
  static final int MAX_LINE = 1 << 20;

  /** A node's profiles file is at most 16 MiB; its JSON with recommendations, some more. */
  static final long MAX_BODY = 64L << 20;

  private final KubernetesClient client;
  private final ClusterAccess access;
  private final Vertx vertx = Vertx.vertx();
  private final HttpClient http;

  ExporterRequests(KubernetesClient client, ClusterAccess access) {
    this.client = client;
    this.access = access;
    HttpClientOptions options =
        new HttpClientOptions().setConnectTimeout((int) TIMEOUT.toMillis()).setKeepAlive(false);
    if (access.tls() != null) {
      options.setSsl(true).setVerifyHost(true).setForceSni(true);
      if (access.tls().caFile() != null) {
        options.setTrustOptions(
            new PemTrustOptions().addCertPath(access.tls().caFile().toString()));
      }
    }
    this.http = vertx.createHttpClient(options);
  }

  /** An exporter's own answer, not a connection that failed: asking again would not help. */
  static final class Answered extends IOException {
    Answered(String message) {
      super(message);
    }
  }

  /**
   * The body of {@code GET path} from the exporter in {@code pod}; why not, as the exception. A
   * connection that failed before the exporter answered is tried once more: a port-forward's stream
   * can fail on its own (the kubelet's, the network's), as kubectl's users know.
   */
  byte[] get(ExporterPod pod, String path) throws IOException {
    try {
      return once(pod, path);
    } catch (Answered e) {
      throw e;
    } catch (IOException first) {
      try {
        Thread.sleep(RETRY_AFTER.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw first;
      }
      return once(pod, path);
    }
  }

  private byte[] once(ExporterPod pod, String path) throws IOException {
    LocalPortForward forward =
        client
            .pods()
            .inNamespace(access.namespace())
            .withName(pod.name())
            .portForward(access.port());
    try {
      RequestOptions request = request(forward, path).setIdleTimeout(TIMEOUT.toMillis());
      Future<Buffer> body =
          http.request(request)
              .compose(sent -> sent.send())
              .compose(
                  response -> {
                    String length = response.getHeader("Content-Length");
                    if (length != null && Long.parseLong(length) > MAX_BODY) {
                      response.request().reset();
                      return Future.failedFuture(
                          new Answered(
                              "its answer is " + length + " bytes, more than " + MAX_BODY));
                    }
                    if (response.statusCode() == 401) {
                      return Future.failedFuture(
                          new Answered(
                              "it asks for basic auth"
                                  + (access.user() == null
                                      ? ": give --basic-auth-user and "
                                          + ClusterAccess.PASSWORD_VARIABLE
                                      : " and refused "
                                          + access.user()
                                          + ": check "
                                          + ClusterAccess.PASSWORD_VARIABLE)));
                    }
                    if (response.statusCode() != 200) {
                      return Future.failedFuture(
                          new Answered(
                              "it answered HTTP "
                                  + response.statusCode()
                                  + " "
                                  + response.statusMessage()
                                  + " to "
                                  + path));
                    }
                    return bounded(response);
                  });
      return body.toCompletionStage()
          .toCompletableFuture()
          .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
          .getBytes();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Answered answered) {
        throw answered;
      }
      awaitServerError(forward);
      throw new IOException(why(forward, e.getCause()), e.getCause());
    } catch (TimeoutException e) {
      throw new IOException("no answer within " + TIMEOUT.toSeconds() + " s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } finally {
      forward.close();
    }
  }

  /** {@code GET path} through {@code forward}, as the access says: TLS's name, basic auth. */
  private RequestOptions request(LocalPortForward forward, String path) {
    RequestOptions request =
        new RequestOptions()
            .setMethod(HttpMethod.GET)
            .setServer(SocketAddress.inetSocketAddress(forward.getLocalPort(), "127.0.0.1"))
            .setHost(access.tls() != null ? access.tls().serverName() : "localhost")
            .setPort(access.port())
            .setURI(path);
    if (access.user() != null) {
      String pair = access.user() + ":" + access.password();
      request.putHeader(
          "Authorization",
          "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
    }
    return request;
  }

  /**
   * Streams {@code GET path}'s lines from the exporter in {@code pod} to {@code lines} (each at
   * most {@link #MAX_LINE} bytes), until {@link AutoCloseable#close()}; why it ended otherwise to
   * {@code ended}. The port-forward stays open for as long.
   */
  AutoCloseable stream(
      ExporterPod pod, String path, Consumer<String> lines, Consumer<String> ended) {
    LocalPortForward forward =
        client
            .pods()
            .inNamespace(access.namespace())
            .withName(pod.name())
            .portForward(access.port());
    AtomicBoolean closing = new AtomicBoolean();
    Consumer<String> end =
        why -> {
          if (!closing.getAndSet(true)) {
            awaitServerError(forward);
            ended.accept(
                forward.getServerThrowables().isEmpty() ? why : why(forward, new IOException(why)));
          }
        };
    http.request(request(forward, path).setIdleTimeout(STREAM_IDLE.toMillis()))
        .compose(sent -> sent.send())
        .onSuccess(
            response -> {
              if (response.statusCode() != 200) {
                response
                    .body()
                    .onComplete(
                        body ->
                            end.accept(
                                "it answered HTTP "
                                    + response.statusCode()
                                    + (body.succeeded()
                                        ? ": " + body.result().toString().strip()
                                        : "")));
                return;
              }
              RecordParser parser =
                  RecordParser.newDelimited(
                      "\n", line -> lines.accept(line.toString(StandardCharsets.UTF_8)));
              parser.maxRecordSize(MAX_LINE);
              parser.exceptionHandler(
                  error -> end.accept("a line longer than " + MAX_LINE + " bytes"));
              response.handler(parser);
              response.exceptionHandler(error -> end.accept(messages(error)));
              response.endHandler(done -> end.accept("the exporter ended the stream"));
            })
        .onFailure(error -> end.accept(why(forward, error)));
    return () -> {
      closing.set(true);
      forward.close();
    };
  }

  /**
   * The API server's (the kubelet's) word on a stream that failed comes on its error channel, which
   * may arrive just after the connection closed: it says more than "connection closed".
   */
  private static void awaitServerError(LocalPortForward forward) {
    for (int i = 0; i < 20 && forward.getServerThrowables().isEmpty(); i++) {
      try {
        Thread.sleep(25);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** The body, failed past {@link #MAX_BODY} however it is framed. */
  private static Future<Buffer> bounded(io.vertx.core.http.HttpClientResponse response) {
    io.vertx.core.Promise<Buffer> done = io.vertx.core.Promise.promise();
    Buffer body = Buffer.buffer();
    response.handler(
        chunk -> {
          if (body.length() + (long) chunk.length() > MAX_BODY) {
            response.request().reset();
            done.tryFail(new IOException("its answer is more than " + MAX_BODY + " bytes"));
          } else {
            body.appendBuffer(chunk);
          }
        });
    response.exceptionHandler(done::tryFail);
    response.endHandler(end -> done.tryComplete(body));
    return done.future();
  }

  /** What went wrong: the port-forward's refusal first, as the API server said it. */
  private String why(LocalPortForward forward, Throwable failure) {
    for (Throwable server : forward.getServerThrowables()) {
      String message = messages(server);
      if (message.contains("403")) {
        return "the API server refused the port-forward: you need create on pods/portforward in"
            + " namespace "
            + access.namespace()
            + "; "
            + Permissions.ROLE_HINT;
      }
      return "the port-forward failed: " + message;
    }
    if (failure instanceof IOException && failure.getCause() == null) {
      return failure.getMessage();
    }
    String message = messages(failure);
    if (access.tls() != null && (message.contains("SSL") || message.contains("certificate"))) {
      return "TLS: "
          + message
          + " (--tls-ca-file names the CA that signed its certificate, --tls-server-name a name"
          + " in it)";
    }
    return message
        + (access.tls() == null && message.contains("closed")
            ? " (does it serve TLS? then give --tls-ca-file)"
            : "");
  }

  /** The message and its causes', which say what TLS did not like. */
  private static String messages(Throwable failure) {
    StringBuilder all = new StringBuilder(String.valueOf(failure.getMessage()));
    for (Throwable cause = failure.getCause(); cause != null; cause = cause.getCause()) {
      if (cause.getMessage() != null && !all.toString().contains(cause.getMessage())) {
        all.append(": ").append(cause.getMessage());
      }
    }
    return all.toString();
  }

  @Override
  public void close() {
    http.close();
    vertx.close();
  }
}
