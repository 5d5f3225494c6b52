package io.capabilityexporter.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicInteger;

/** The HTTP server's own metrics: what it holds, and what it turned away. */
final class HttpMetrics {
  final AtomicInteger openConnections = new AtomicInteger();
  final AtomicInteger profileRequests = new AtomicInteger();
  private final Counter closedAtLimit;
  private final Counter requestTimeouts;
  private final Counter busy;
  private final Counter unauthorized;
  private final Counter authBusy;

  HttpMetrics(MeterRegistry registry) {
    Gauge.builder("capability.exporter.http.connections", openConnections, AtomicInteger::get)
        .description("HTTP connections open now.")
        .register(registry);
    Gauge.builder(
            "capability.exporter.http.profile.requests.in.flight",
            profileRequests,
            AtomicInteger::get)
        .description("Requests for /api/v1/profiles being answered now.")
        .register(registry);
    closedAtLimit = closed(registry, "limit");
    requestTimeouts = closed(registry, "request_timeout");
    busy = rejected(registry, "busy");
    unauthorized = rejected(registry, "unauthorized");
    authBusy = rejected(registry, "auth_busy");
  }

  /**
   * Connections the server closed, by reason. limit: --web.max-connections were open, so the one
   * that had waited longest for its next request was closed (or the new one, when every open one
   * was being answered); request_timeout: no complete request within the request timeout of
   * connecting or of the previous response.
   */
  private static Counter closed(MeterRegistry registry, String reason) {
    return Counter.builder("capability.exporter.http.connections.closed")
        .description(
            "HTTP connections the server closed, by reason: limit (--web.max-connections reached),"
                + " request_timeout (no complete request within 10 s: slow or idle clients).")
        .tag("reason", reason)
        .register(registry);
  }

  /**
   * Requests answered with an error without being served. busy: {@code /api/v1/profiles} was
   * answering as many clients as it may (503); unauthorized: no or wrong credentials (401);
   * auth_busy: more passwords waiting for their bcrypt check than it may queue (503).
   */
  private static Counter rejected(MeterRegistry registry, String reason) {
    return Counter.builder("capability.exporter.http.requests.rejected")
        .description("HTTP requests turned away without being served, by reason.")
        .tag("reason", reason)
        .register(registry);
  }

  void connectionClosedAtLimit() {
    closedAtLimit.increment();
  }

  void requestTimedOut() {
    requestTimeouts.increment();
  }

  void profilesBusy() {
    busy.increment();
  }

  void authBusy() {
    authBusy.increment();
  }

  void unauthorized() {
    unauthorized.increment();
  }
}
