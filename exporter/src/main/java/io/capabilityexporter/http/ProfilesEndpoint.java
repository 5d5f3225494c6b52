package io.capabilityexporter.http;

import io.netty.buffer.ByteBuf;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.internal.buffer.BufferInternal;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;

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

  /** One rendering and the responses that share it: it is freed when none needs it any more. */
  private static final class Rendering {
    final Future<ByteBuf> body;

    /** One for as long as requests may still join it, and one per response that sends it. */
    final AtomicInteger users = new AtomicInteger(1);

    Rendering(Future<ByteBuf> body) {
      this.body = body;
    }

    void release() {
      if (users.decrementAndGet() == 0 && body.succeeded()) {
        body.result().release();
      }
    }
  }

  private final WorkerExecutor executor;
  private final JsonBody profiles;
  private final int maxClients;
  private final HttpMetrics metrics;
  private Rendering rendering;

  ProfilesEndpoint(
      WorkerExecutor executor, JsonBody profiles, int maxClients, HttpMetrics metrics) {
    this.executor = executor;
    this.profiles = profiles;
    this.maxClients = maxClients;
    this.metrics = metrics;
  }

  private ByteBuf render() throws IOException {
    OffHeapBody body = new OffHeapBody();
    try {
      profiles.writeTo(body);
      return body.written();
    } catch (IOException | RuntimeException e) {
      body.release();
      throw e;
    }
  }

  /** The rendering in progress, or a new one; counted as used by the caller. */
  private synchronized Rendering join() {
    Rendering joined = rendering;
    if (joined == null) {
      Rendering started = new Rendering(executor.executeBlocking(this::render, false));
      rendering = started;
      started.users.incrementAndGet();
      started.body.onComplete(done -> finished(started));
      return started;
    }
    joined.users.incrementAndGet();
    return joined;
  }

  /** No request joins a finished rendering: the next one gets fresh profiles. */
  private synchronized void finished(Rendering done) {
    if (rendering == done) {
      rendering = null;
    }
    done.release();
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
    Rendering shared = join();
    shared
        .body
        .transform(
            rendered ->
                rendered.succeeded()
                    ? request
                        .response()
                        .putHeader("Content-Type", "application/json")
                        // Vert.x sends a slice it does not release: the body stays ours.
                        .end(BufferInternal.buffer(rendered.result()))
                    : request
                        .response()
                        .setStatusCode(500)
                        .putHeader("Content-Type", Responses.TEXT)
                        .end("profiles failed: " + rendered.cause().getMessage() + "\n"))
        // Until the response is written out or the connection is gone.
        .onComplete(
            written -> {
              metrics.profileRequests.decrementAndGet();
              shared.release();
            });
  }
}
