package io.capabilityexporter.http;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;

/** How every answer ends: plain text, or a body made elsewhere. */
final class Responses {
  static final String TEXT = "text/plain; charset=utf-8";

  private Responses() {}

  static Future<Void> text(HttpServerRequest request, int status, String body) {
    request.response().setStatusCode(status).putHeader("Content-Type", TEXT);
    return end(request, Buffer.buffer(body));
  }

  /**
   * Ends with {@code body}, or for HEAD with its length alone: over HTTP/2 Vert.x would send a
   * HEAD's body as DATA frames, which a client takes as a protocol error (curl: PROTOCOL_ERROR).
   */
  static Future<Void> end(HttpServerRequest request, Buffer body) {
    if (request.method() == HttpMethod.HEAD) {
      return request
          .response()
          .putHeader(HttpHeaders.CONTENT_LENGTH, Integer.toString(body.length()))
          .end();
    }
    return request.response().end(body);
  }
}
