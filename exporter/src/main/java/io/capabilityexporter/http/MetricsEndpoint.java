package io.capabilityexporter.http;

import io.capabilityexporter.metrics.Scraper;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.internal.buffer.BufferInternal;
import java.util.zip.GZIPOutputStream;

/**
 * The telemetry path. Scrapes run on a worker thread of their own, one at a time (they read kernel
 * maps with blocking system calls), so that nothing else the server does, a profiles rendering
 * above all, can make a scrape wait for a thread. The exposition is written off the heap as it is
 * made, gzipped for clients that accept it (Prometheus does): a churned node's hundreds of
 * thousands of series are tens of megabytes of text, a few once compressed.
 */
final class MetricsEndpoint {
  /** What a scrape is rendered as: the format, and whether gzipped. */
  private record Variant(boolean openMetrics, boolean gzip) {}

  private final WorkerExecutor executor;
  private final Scrapes scrapes;
  private final SharedRenderings<Variant> renderings = new SharedRenderings<>();

  MetricsEndpoint(WorkerExecutor executor, Scrapes scrapes) {
    this.executor = executor;
    this.scrapes = scrapes;
  }

  /** Whether an Accept-Encoding header takes gzip (and does not refuse it with {@code q=0}). */
  static boolean acceptsGzip(String acceptEncoding) {
    if (acceptEncoding == null) {
      return false;
    }
    for (String coding : acceptEncoding.split(",")) {
      String[] parts = coding.trim().split(";");
      if (parts[0].trim().equalsIgnoreCase("gzip")) {
        return parts.length < 2 || !parts[1].replace(" ", "").matches("q=0(\\.0*)?");
      }
    }
    return false;
  }

  private SharedRenderings.Rendered render(Variant variant) throws Exception {
    OffHeapBody body = new OffHeapBody();
    try {
      String contentType;
      if (variant.gzip()) {
        GZIPOutputStream gzip = new GZIPOutputStream(body, 64 << 10);
        contentType = scrapes.scrape(variant.openMetrics(), gzip);
        gzip.finish();
      } else {
        contentType = scrapes.scrape(variant.openMetrics(), body);
      }
      return new SharedRenderings.Rendered(
          contentType, variant.gzip() ? "gzip" : null, body.written());
    } catch (Exception | Error e) {
      body.release();
      throw e;
    }
  }

  void handle(HttpServerRequest request) {
    Variant variant =
        new Variant(
            Scraper.wantsOpenMetrics(request.getHeader("Accept")),
            acceptsGzip(request.getHeader("Accept-Encoding")));
    SharedRenderings.Rendering shared =
        renderings.join(variant, () -> executor.executeBlocking(() -> render(variant), false));
    shared
        .result
        .transform(
            rendered -> {
              if (rendered.failed()) {
                Responses.text(
                    request, 500, "scrape failed: " + rendered.cause().getMessage() + "\n");
                return Future.<Void>succeededFuture();
              }
              HttpServerResponse response =
                  request.response().putHeader("Content-Type", rendered.result().contentType());
              if (rendered.result().contentEncoding() != null) {
                response.putHeader("Content-Encoding", rendered.result().contentEncoding());
              }
              // Vert.x sends a slice it does not release: the body stays ours.
              return Responses.end(request, BufferInternal.buffer(rendered.result().body()));
            })
        // Until the response is written out or the connection is gone.
        .onComplete(written -> shared.release());
  }
}
