package io.capabilityexporter.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.buffer.Unpooled;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.internal.buffer.BufferInternal;
import java.io.IOException;
import java.io.OutputStream;

/**
 * {@value MetricsServer#PROFILES_PATH}: with a thousand workloads the JSON is megabytes and half a
 * second of CPU. So one rendering runs at a time, on a worker thread of its own (never the
 * scrapes'), every client that asks meanwhile gets that same buffer, and at most {@link
 * HttpLimits#maxProfileClients()} responses are in progress: more get 503 with Retry-After.
 */
final class ProfilesEndpoint {
  /** Seconds a refused client should wait: a rendering and its writes take about one. */
  static final String RETRY_AFTER_SECONDS = "5";

  private final WorkerExecutor executor;
  private final JsonBody profiles;
  private final int maxClients;
  private final HttpMetrics metrics;
  private final Coalescing<String, Buffer> rendering = new Coalescing<>();

  ProfilesEndpoint(
      WorkerExecutor executor, JsonBody profiles, int maxClients, HttpMetrics metrics) {
    this.executor = executor;
    this.profiles = profiles;
    this.maxClients = maxClients;
    this.metrics = metrics;
  }

  /**
   * The JSON, written straight into one buffer that every waiting client is then sent: no string,
   * no copy per client (a thousand workloads are megabytes, the heap 128 MiB).
   */
  private Buffer render() throws IOException {
    ByteBuf json = Unpooled.buffer(1 << 20);
    try (OutputStream out = new ByteBufOutputStream(json)) {
      profiles.writeTo(out);
    }
    return BufferInternal.buffer(json);
  }

  void handle(HttpServerRequest request) {
    if (metrics.profileRequests.incrementAndGet() > maxClients) {
      metrics.profileRequests.decrementAndGet();
      metrics.profilesBusy();
      request
          .response()
          .setStatusCode(503)
          .putHeader("Retry-After", RETRY_AFTER_SECONDS)
          .putHeader("Content-Type", Responses.TEXT)
          .end(
              "busy: "
                  + maxClients
                  + " clients are being sent the profiles; retry after "
                  + RETRY_AFTER_SECONDS
                  + " s\n");
      return;
    }
    Future<Buffer> json =
        rendering.join("profiles", () -> executor.executeBlocking(this::render, false));
    json.transform(
            rendered ->
                rendered.succeeded()
                    ? request
                        .response()
                        .putHeader("Content-Type", "application/json")
                        .end(rendered.result())
                    : request
                        .response()
                        .setStatusCode(500)
                        .putHeader("Content-Type", Responses.TEXT)
                        .end("profiles failed: " + rendered.cause().getMessage() + "\n"))
        // Counted until the response is written out or the connection is gone.
        .onComplete(written -> metrics.profileRequests.decrementAndGet());
  }
}
