package io.capabilityexporter.http;

import io.vertx.core.http.HttpServerRequest;

/** Plain-text answers. */
final class Responses {
  static final String TEXT = "text/plain; charset=utf-8";

  private Responses() {}

  static void text(HttpServerRequest request, int status, String body) {
    request.response().setStatusCode(status).putHeader("Content-Type", TEXT).end(body);
  }
}
