package io.capabilityexporter.http;

import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.internal.buffer.BufferInternal;
import java.io.IOException;

/**
 * {@value MetricsServer#PROFILES_PATH}: with a thousand workloads the JSON is megabytes and half a
 * second of CPU. So one rendering runs at a time, on a worker thread of its own (never the
 * scrapes'), written off the heap as it is made; every client that asks meanwhile is sent that one
 * body; at most {@link HttpLimits#maxProfileClients()} responses are in progress (more get 503 with
 * Retry-After), and a body is freed as soon as its last client has it.
 */
final class ProfilesEndpoint {
  /** Seconds a refused client should wait: a rendering and its writes take about one. */
  static final String RETRY_AFTER_SECONDS = "5";

  private final WorkerExecutor executor;
  private final JsonBody profiles;
  private final int maxClients;
  private final HttpMetrics metrics;
  private final SharedRenderings<Boolean> renderings = new SharedRenderings<>();

  ProfilesEndpoint(
      WorkerExecutor executor, JsonBody profiles, int maxClients, HttpMetrics metrics) {
    this.executor = executor;
    this.profiles = profiles;
    this.maxClients = maxClients;
    this.metrics = metrics;
  }

  private SharedRenderings.Rendered render() throws IOException {
    OffHeapBody body = new OffHeapBody();
    try {
      profiles.writeTo(body);
      return new SharedRenderings.Rendered("application/json", null, body.written());
    } catch (IOException | RuntimeException e) {
      body.release();
      throw e;
    }
  }

  void handle(HttpServerRequest request) {
    if (metrics.profileRequests.incrementAndGet() > maxClients) {
      metrics.profileRequests.decrementAndGet();
      metrics.profilesBusy();
      request.response().putHeader("Retry-After", RETRY_AFTER_SECONDS);
      Responses.text(
          request,
          503,
          "busy: "
              + maxClients
              + " clients are being sent the profiles; retry after "
              + RETRY_AFTER_SECONDS
              + " s\n");
      return;
    }
    SharedRenderings.Rendering shared =
        renderings.join(true, () -> executor.executeBlocking(this::render, false));
    shared
        .result
        .transform(
            rendered ->
                rendered.succeeded()
                    ? sendRendered(request, rendered.result())
                    : Responses.text(
                        request, 500, "profiles failed: " + rendered.cause().getMessage() + "\n"))
        // Until the response is written out or the connection is gone.
        .onComplete(
            written -> {
              metrics.profileRequests.decrementAndGet();
              shared.release();
            });
  }

  private static io.vertx.core.Future<Void> sendRendered(
      HttpServerRequest request, SharedRenderings.Rendered rendered) {
    request.response().putHeader("Content-Type", rendered.contentType());
    // Vert.x sends a slice it does not release: the body stays ours.
    return Responses.end(request, BufferInternal.buffer(rendered.body()));
  }
}
